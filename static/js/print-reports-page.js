// The inbox's printable page: its print button. Printing needs a script, so without one the
// button stays hidden.
const button = document.querySelector("[data-print]");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
