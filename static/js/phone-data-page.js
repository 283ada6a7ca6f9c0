// The page for the data kept on the phone: what there is, export, import, delete.
import { BackupError, fromJson, toJson } from "./backup.js";
import { showError } from "./fields.js";
import { clearWarning, say, warn } from "./notices.js";
import { counts, deleteAll, dump, isKept, replaceAll } from "./phone-data.js";
import { text } from "./texts.js";

const exportButton = document.querySelector("[data-export]");
const importForm = document.querySelector("[data-import]");
const fileInput = importForm.querySelector("input[type=file]");
const deleteButton = document.querySelector("[data-delete-all]");
const confirmation = document.querySelector("[data-confirm-delete]");

async function showCounts() {
  const counted = await counts();
  for (const element of document.querySelectorAll("[data-count]")) {
    element.textContent = counted[element.dataset.count];
  }
  const kept = await isKept();
  document.querySelector("[data-persisted]").hidden = !kept;
  document.querySelector("[data-not-persisted]").hidden = kept;
}

async function exportFile() {
  try {
    const json = await toJson(await dump());
    const name = `batsamverkan-${new Date().toISOString().slice(0, 10)}.json`;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([json], { type: "application/json" }));
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    say(text("exported", { file: name }));
  } catch (error) {
    warn(error);
  }
}

async function importFile(event) {
  event.preventDefault();
  const [file] = fileInput.files;
  if (!file) {
    showError(fileInput, text("importNoFile"));
    fileInput.focus();
    return;
  }
  let data;
  try {
    data = fromJson(await file.text());
  } catch (error) {
    if (!(error instanceof BackupError)) {
      warn(error);
      return;
    }
    console.warn(error);
    const key = { notOurs: "importNotOurs", newer: "importNewer", damaged: "importDamaged" }[error.kind];
    showError(fileInput, text(key));
    fileInput.focus();
    return;
  }
  try {
    await replaceAll(data);
  } catch (error) {
    warn(error);
    return;
  }
  showError(fileInput, "");
  clearWarning();
  importForm.reset();
  await showCounts();
  say(text("imported"));
}

async function removeEverything() {
  try {
    await deleteAll();
    await showCounts();
  } catch (error) {
    warn(error);
    return;
  }
  confirmation.hidden = true;
  deleteButton.focus();
  say(text("deletedAll"));
}

async function start() {
  exportButton.addEventListener("click", exportFile);
  importForm.addEventListener("submit", importFile);
  fileInput.addEventListener("change", () => showError(fileInput, ""));
  deleteButton.addEventListener("click", () => {
    confirmation.hidden = false;
    confirmation.focus();
  });
  confirmation.querySelector("[data-confirm]").addEventListener("click", removeEverything);
  confirmation.querySelector("[data-cancel]").addEventListener("click", () => {
    confirmation.hidden = true;
    deleteButton.focus();
  });
  try {
    await showCounts();
  } catch (error) {
    warn(error);
    return;
  }
  for (const button of [exportButton, importForm.querySelector("[data-import-button]"), deleteButton]) {
    button.disabled = false;
  }
}

start();
