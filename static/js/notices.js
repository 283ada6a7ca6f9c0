// Tell the person what happened: confirmations in the page's status line, storage problems
// in its alert. A failure is always shown, never only logged.
import "./database.js";
import { text } from "./texts.js";

const { StorageError } = globalThis.database;

export function say(message) {
  document.querySelector("[data-status]").textContent = message;
}

export function warn(error) {
  console.error(error);
  document.querySelector("[data-alert]").textContent = explain(error);
}

export function clearWarning() {
  document.querySelector("[data-alert]").textContent = "";
}

function explain(error) {
  if (error instanceof StorageError && error.kind === "unavailable") return text("storageUnavailable");
  if (error instanceof StorageError && error.kind === "full") return text("storageFull");
  return text("storageFailed", { error: error?.message || String(error) });
}
