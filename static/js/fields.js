// Check a form's fields against the rules the server wrote into them (data-max-length,
// data-kind, required) and show what is wrong beside each field and in the form's summary.
// What the person typed is never changed or cut off.
import { checkCin } from "./cin.js";
import { text } from "./texts.js";

const DECIMAL = /^\d+([.,]\d+)?$/;

// The message for what is wrong with a field, or "".
export function problemWith(field) {
  const value = field.value.trim();
  if (!value) return field.required ? text("required") : "";
  const max = Number(field.dataset.maxLength);
  if (max && value.length > max) return text("tooLong", { max, count: value.length });
  if (field.dataset.kind === "decimal" && !DECIMAL.test(value)) {
    return text("notANumber", { example: field.dataset.example });
  }
  if (field.dataset.kind === "cin") {
    const { problems } = checkCin(value);
    if (problems) return problems.map(({ part, ...values }) => text(`cin${part[0].toUpperCase()}${part.slice(1)}`, values)).join(" ");
  }
  return "";
}

export function showError(field, message) {
  const error = document.getElementById(`${field.id}-error`);
  error.textContent = message;
  error.hidden = !message;
  const described = new Set((field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
  if (message) described.add(error.id);
  else described.delete(error.id);
  if (described.size) field.setAttribute("aria-describedby", [...described].join(" "));
  else field.removeAttribute("aria-describedby");
  if (message) field.setAttribute("aria-invalid", "true");
  else field.removeAttribute("aria-invalid");
}

// Check every field of the form, show the errors and move the focus to them. `more` are
// errors found otherwise, as [{ field, message }]. Returns whether the form may be saved.
export function checkForm(form, more = []) {
  const errors = [];
  for (const field of form.querySelectorAll("[data-kind]")) {
    const message = problemWith(field);
    showError(field, message);
    if (message) errors.push({ field, message });
  }
  for (const { field, message } of more) showError(field, message);
  errors.push(...more);
  const summary = form.querySelector("[data-error-summary]");
  if (summary) showSummary(summary, errors);
  if (errors.length) (summary || errors[0].field).focus();
  return errors.length === 0;
}

export function clearErrors(form) {
  for (const field of form.querySelectorAll("[aria-invalid]")) showError(field, "");
  const summary = form.querySelector("[data-error-summary]");
  if (summary) summary.hidden = true;
}

// Take an error away as soon as the field is right again.
export function recheckOnInput(form) {
  form.addEventListener("input", (event) => {
    const field = event.target;
    if (field.getAttribute("aria-invalid") && field.dataset.kind && !problemWith(field)) showError(field, "");
  });
}

function showSummary(summary, errors) {
  const list = summary.querySelector("[data-error-list]");
  const template = document.querySelector("template[data-summary-item]");
  list.replaceChildren(
    ...errors.map(({ field, message }) => {
      const item = template.content.firstElementChild.cloneNode(true);
      const link = item.querySelector("[data-link]");
      link.href = `#${field.id}`;
      link.textContent = field.dataset.label || document.querySelector(`label[for="${field.id}"]`).textContent;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        field.closest(".field").scrollIntoView();
        field.focus({ preventScroll: true });
      });
      item.querySelector("[data-message]").textContent = message;
      return item;
    }),
  );
  summary.hidden = errors.length === 0;
}
