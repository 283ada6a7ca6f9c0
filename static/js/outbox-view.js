// The outbox on the report page: keeping the form's report when it cannot be sent, the list
// of what waits with its state, and sending now, editing and deleting a report. A report the
// server has confirmed leaves the list; its code is then in "My reports" (my-reports.js).
import { requestBackgroundSync, send } from "./outbox-sender.js";
import { setPlateRows } from "./plate-rows.js";
import { formatTime, text } from "./texts.js";

const { outbox } = globalThis;
// The report being edited in the form: kept here, not on the form, which htmx replaces.
let editing = null;

// Said by screen readers even when it is the same message as last time.
function announce(message) {
  const region = document.getElementById("outbox-announcement");
  region.textContent = "";
  setTimeout(() => {
    region.textContent = message;
  }, 100);
}

function summaryOf(form) {
  const harbour = form.elements.harbour;
  const categories = [...form.querySelectorAll("input[name=categories]:checked")].map((box) =>
    form.querySelector(`label[for="${box.id}"]`).textContent.trim(),
  );
  return {
    harbour: harbour.value ? harbour.selectedOptions[0].textContent.trim() : "",
    categories,
    plate: form.elements["plates-0-text"]?.value.trim() || "",
  };
}

// Keep the report of the form in the outbox, and give the person a fresh form. `failure`
// says why it was not sent: "network" (no connection), "timeout" (no answer in time) or
// "server" (a 5xx).
export async function keep(form, failure, makeFresh) {
  const body = new URLSearchParams(new FormData(form));
  try {
    await outbox.queue({
      clientId: body.get("client_id"),
      url: new URL(form.action).pathname,
      lang: document.documentElement.lang,
      body: body.toString(),
      summary: summaryOf(form),
      failure,
      replaces: editing,
    });
    editing = null;
  } catch (error) {
    console.error(error);
    const problem = form.querySelector("#form-problem");
    problem.textContent = text("notSaved", { error: error?.message || String(error) });
    problem.hidden = false;
    return;
  }
  makeFresh();
  announce(text("queued"));
  requestBackgroundSync();
  document.getElementById("outbox").scrollIntoView({ block: "nearest" });
}

// Keep the receipt of a report the form has sent (the server's JSON) in "My reports".
export async function keepReceipt(json) {
  const receipt = JSON.parse(json);
  if (receipt?.reference) await outbox.remember(receipt);
}

// Forget the report that was being edited once the form has sent it itself.
export async function sentFromForm() {
  if (editing) await outbox.remove(editing);
  editing = null;
}

function summaryText(summary) {
  const parts = [summary.harbour, summary.categories.join(", "), summary.plate.toUpperCase()].filter(Boolean);
  return parts.length ? parts.join(" · ") : text("noSummary");
}

function fieldName(key) {
  const field = document.getElementById(key);
  const label =
    field && ["checkbox", "hidden"].includes(field.type)
      ? field.closest("fieldset")?.querySelector("legend")
      : document.querySelector(`label[for="${key}"]`);
  return label?.firstChild?.textContent.trim() || key;
}

function stateOf(record) {
  if (record.state === "sending") return text("stateSending");
  if (record.state === "editing") return text("stateEditing");
  if (record.state === "attention") return text("stateAttention");
  if (record.attempts > 1 || record.lastFailure === "server" || record.lastFailure === "busy") {
    return text("stateRetrying", { attempts: record.attempts, time: formatTime(record.nextAttemptAt) });
  }
  return text("stateWaiting");
}

function reasonOf(record) {
  if (record.state !== "attention") return "";
  if (record.status === 409) return text("reasonConflict");
  if (record.status === 422) return text("reasonInvalid");
  return record.reason || text("reasonRefused", { status: record.status });
}

function item(record, index) {
  const node = document.getElementById("outbox-item").content.firstElementChild.cloneNode(true);
  const title = node.querySelector("h3");
  title.id = `outbox-item-${index}`;
  title.textContent = summaryText(record.summary);
  node.querySelector("[data-state]").textContent = stateOf(record);
  node.querySelector("[data-state]").dataset.state = record.state;
  node.querySelector("[data-reason]").textContent = reasonOf(record);
  const errors = node.querySelector("[data-errors]");
  for (const [key, messages] of Object.entries(record.errors || {})) {
    const line = document.createElement("li");
    const name = fieldName(key);
    // As the form's own summary: "What happened? Describe …", "Harbour: Choose …".
    line.textContent = `${name}${name.endsWith("?") ? "" : ":"} ${messages.join(" ")}`;
    errors.append(line);
  }
  errors.hidden = !errors.children.length;
  node.querySelector("[data-queued]").textContent = text("queuedAt", { time: formatTime(record.queuedAt) });
  for (const button of node.querySelectorAll("button[data-action]")) {
    button.dataset.clientId = record.clientId;
    button.setAttribute("aria-describedby", title.id);
    const action = button.dataset.action;
    button.hidden = record.state === "editing" || (action === "send" && record.state === "attention");
    button.disabled = record.state === "sending";
  }
  node.querySelector("[data-actions]").hidden = record.state === "editing";
  return node;
}

let shown = new Map();

async function show() {
  let records;
  let delivered;
  try {
    records = await outbox.list();
    const gone = [...shown.keys()].filter((clientId) => !records.some((record) => record.clientId === clientId));
    delivered = gone.length ? (await outbox.mine()).filter((entry) => gone.includes(entry.clientId)) : [];
  } catch (error) {
    console.error(error);
    return;
  }
  const section = document.getElementById("outbox");
  section.hidden = records.length === 0;
  document.getElementById("outbox-count").textContent =
    records.length === 1 ? text("countOne") : text("countMany", { count: records.length });
  const list = document.getElementById("outbox-list");
  const focused = document.activeElement?.closest?.("#outbox-list button");
  const focus = focused && { clientId: focused.dataset.clientId, action: focused.dataset.action };
  list.replaceChildren(...records.map(item));
  if (focus) {
    const button = list.querySelector(`button[data-client-id="${focus.clientId}"][data-action="${focus.action}"]`);
    // A report sent while its button had the focus: on to where its code now is.
    (button || document.getElementById("my-reports-title"))?.focus();
  }
  for (const entry of delivered) announce(text("sent", { reference: entry.reference }));
  for (const record of records) {
    const before = shown.get(record.clientId);
    if (before && before !== "attention" && record.state === "attention") announce(text("needsAttention"));
  }
  shown = new Map(records.map((record) => [record.clientId, record.state]));
}

// The number of plate rows a kept report was written with: one past the highest plates-N-.
function plateRowsOf(values) {
  const indices = [...values.keys()].map((name) => /^plates-(\d+)-/.exec(name)?.[1]).filter(Boolean);
  return indices.length ? Math.max(...indices.map(Number)) + 1 : 0;
}

function fill(form, record) {
  const values = new URLSearchParams(record.body);
  setPlateRows(form, plateRowsOf(values));
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "checkbox") {
      element.checked = values.getAll(element.name).includes(element.value);
    } else if (element.type !== "button" && element.type !== "submit") {
      element.value = values.get(element.name) ?? "";
    }
  }
  // A report refused for its identity gets a new one; any other keeps its own, so that
  // a report the server did store, unbeknown to the phone, is not stored twice.
  form.elements.client_id.value = record.status === 409 ? crypto.randomUUID() : record.clientId;
  editing = record.clientId;
}

async function act(button) {
  const { clientId, action } = button.dataset;
  if (action === "send") {
    if (navigator.onLine === false) announce(text("noConnection"));
    else await send({ only: clientId });
  } else if (action === "delete") {
    if (!window.confirm(text("confirmDelete"))) return;
    await outbox.remove(clientId);
    announce(text("deleted"));
    document.getElementById("outbox-title").focus();
  } else if (action === "edit") {
    const record = await outbox.hold(clientId);
    if (!record) return;
    const form = document.getElementById("report-form");
    fill(form, record);
    form.dispatchEvent(new Event("outbox:filled", { bubbles: true }));
    announce(text("editing"));
    form.elements.harbour.focus();
  }
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("#outbox button[data-action]");
  if (!button) return;
  act(button).catch((error) => {
    console.error(error);
    announce(text("actionFailed", { error: error?.message || String(error) }));
  });
});

outbox.onChange(show)();
