// "My reports" on the report page: the codes of the reports sent from this phone (outbox.js
// keeps them), each with the time, who reads it, a status look-up and a delete button.
import "./database.js";
import "./outbox.js";
import { formatTime, text } from "./texts.js";

const { outbox } = globalThis;
const section = document.getElementById("my-reports");

// Who reads the report, as the server said when it took it; nothing if it did not say.
export function readersOf(entry) {
  if (entry.readBy === "contact_person") return text("mineContactPerson", { harbour: entry.harbour });
  if (entry.readBy === "administrator") return text("mineAdministrator", { harbour: entry.harbour });
  return "";
}

function item(entry, index) {
  const node = document.getElementById("my-report-item").content.firstElementChild.cloneNode(true);
  const title = node.querySelector("h3");
  title.id = `my-report-${index}`;
  node.querySelector("[data-reference]").textContent = entry.reference;
  node.querySelector("[data-sent]").textContent = text("mineSent", { time: formatTime(entry.sentAt) });
  node.querySelector("[data-readers]").textContent = readersOf(entry);
  node.querySelector("input[name=code]").value = entry.reference;
  for (const button of node.querySelectorAll("button")) button.setAttribute("aria-describedby", title.id);
  node.querySelector("[data-forget]").dataset.reference = entry.reference;
  return node;
}

function fail(error) {
  console.error(error);
  document.getElementById("my-reports-announcement").textContent = text("mineFailed", {
    error: error?.message || String(error),
  });
}

async function show() {
  let entries;
  try {
    entries = await outbox.mine();
  } catch (error) {
    fail(error);
    return;
  }
  section.hidden = false;
  document.getElementById("my-reports-empty").hidden = entries.length > 0;
  document.getElementById("my-reports-list").replaceChildren(...entries.map(item));
}

async function forget(reference) {
  await outbox.forget(reference);
  document.getElementById("my-reports-announcement").textContent = text("mineDeleted", { reference });
  document.getElementById("my-reports-title").focus();
}

if (section) {
  section.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-forget]");
    if (button) forget(button.dataset.reference).catch(fail);
  });
  outbox.onChange(show)();
}
