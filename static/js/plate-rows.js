// More registration numbers than the one row the form starts with: each press of
// "Add a registration number" adds a row, numbered as the server numbers them
// (plates-1-text …), up to the limit the server accepts. Without JavaScript the button is a
// submit button and the server gives the form back with a row more.
const ROWS = "[data-plate-row]";

function rowsOf(form) {
  return [...form.querySelectorAll(ROWS)];
}

function indexOf(row) {
  return Number(/^plates-(\d+)-/.exec(row.querySelector("input[type=text]").name)[1]);
}

// A copy of the last row, numbered `index`, empty and without the last row's messages.
function emptyRow(last, index, button) {
  const row = last.cloneNode(true);
  const number = (name) => name.replace(/^plates-\d+-/, `plates-${index}-`);
  for (const element of row.querySelectorAll("[id], [for], [name]")) {
    for (const attribute of ["id", "for", "name"]) {
      if (element.hasAttribute(attribute)) element.setAttribute(attribute, number(element.getAttribute(attribute)));
    }
  }
  row.querySelectorAll(".field-error").forEach((message) => message.remove());
  row.querySelectorAll(".has-error").forEach((field) => field.classList.remove("has-error"));
  for (const control of row.querySelectorAll("input, select")) {
    control.removeAttribute("aria-invalid");
    control.removeAttribute("aria-describedby");
    control.removeAttribute("autofocus");
  }
  row.querySelector("legend").textContent = button.dataset.legend.replace("{number}", String(index + 1));
  row.querySelector("select").value = button.dataset.country;
  row.querySelector("input[type=text]").value = "";
  row.querySelector("input[type=checkbox]").checked = false;
  return row;
}

// Show the button while there is room for another row. A plain button here, so that Enter in
// a field sends the report rather than adding a row.
export function showAddPlate(form) {
  const button = form?.querySelector("#add-plate");
  if (!button) return;
  button.type = "button";
  button.hidden = rowsOf(form).length >= Number(button.dataset.max);
}

// Add an empty row after the last; return it, or null at the limit.
export function addPlateRow(form) {
  const button = form.querySelector("#add-plate");
  const rows = rowsOf(form);
  if (!button || rows.length >= Number(button.dataset.max)) return null;
  const last = rows[rows.length - 1];
  const row = emptyRow(last, indexOf(last) + 1, button);
  last.after(row);
  showAddPlate(form);
  return row;
}

// Give the form exactly `count` rows (never fewer than it started with), for a report
// taken back from the outbox with the rows it was written with.
export function setPlateRows(form, count) {
  while (rowsOf(form).length < count && addPlateRow(form));
  const rows = rowsOf(form);
  const least = Number(form.querySelector("#add-plate")?.dataset.least || rows.length);
  for (const row of rows.slice(Math.max(count, least))) row.remove();
  showAddPlate(form);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("#add-plate");
  if (!button) return;
  event.preventDefault();
  const row = addPlateRow(button.form);
  row?.querySelector("input[type=text]").focus();
});
