// The report page's form: a fresh identity on every load, the time now, the position on
// request, a message when htmx gets an answer it cannot show, and the report kept in the
// outbox when no answer comes (no connection, a timeout) or the server fails (5xx); the
// codes of the reports sent from the phone in "My reports"; below them, alerts turned on for a
// harbour in one tap.
//
// The page is cached by the service worker, so the identity the server wrote into it would
// be the same on every visit: the server would then take a second report for a repeat.
import "./alert-toggles.js";
import "./my-reports.js";
import { keep, keepReceipt, sentFromForm } from "./outbox-view.js";
import { showAddPlate } from "./plate-rows.js";

const STOCKHOLM_TIME = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Stockholm",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

function freshForm() {
  const clientId = document.querySelector("input[name=client_id][data-fresh]");
  if (clientId && globalThis.crypto?.randomUUID) clientId.value = crypto.randomUUID();
  const time = document.querySelector("input[name=observed_at][data-default-now]");
  if (time) time.value = STOCKHOLM_TIME.format(new Date()).replace(" ", "T");
}

function showPositionButtons() {
  const use = document.getElementById("use-position");
  const remove = document.getElementById("remove-position");
  if (!use || !("geolocation" in navigator)) return;
  const hasPosition = Boolean(document.getElementById("latitude").value);
  use.hidden = hasPosition;
  remove.hidden = !hasPosition;
}

function setPosition(latitude, longitude, message) {
  document.getElementById("latitude").value = latitude;
  document.getElementById("longitude").value = longitude;
  document.getElementById("position-status").textContent = message;
  showPositionButtons();
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("#use-position, #remove-position");
  if (!button) return;
  if (button.id === "remove-position") {
    setPosition("", "", button.dataset.removed);
    return;
  }
  document.getElementById("position-status").textContent = button.dataset.finding;
  navigator.geolocation.getCurrentPosition(
    ({ coords }) => setPosition(coords.latitude.toFixed(6), coords.longitude.toFixed(6), button.dataset.added),
    () => setPosition("", "", button.dataset.failed),
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
  );
});

function showProblem(form, text) {
  const problem = form.querySelector("#form-problem");
  problem.textContent = text;
  problem.hidden = false;
}

// The form as it was loaded, to start afresh once its report is kept in the outbox.
const pristine = document.getElementById("report-form")?.cloneNode(true);

function freshFormInPlaceOf(form) {
  const fresh = pristine.cloneNode(true);
  form.replaceWith(fresh);
  globalThis.htmx?.process(fresh);
  freshForm();
  showPositionButtons();
  showAddPlate(fresh);
}

function keepInOutbox(form, failure) {
  keep(form, failure, () => freshFormInPlaceOf(form));
}

// No connection, or no answer before htmx gave up on it after its timeout: the report
// waits on the phone.
document.addEventListener("htmx:sendError", (event) => keepInOutbox(event.detail.elt, "network"));
document.addEventListener("htmx:timeout", (event) => keepInOutbox(event.detail.elt, "timeout"));

// A report stored by the server: its code goes into "My reports" on the phone, and a report
// edited from the outbox leaves the outbox, before the page goes to the receipt. The answer
// carries the receipt as JSON; the receipt's address has the code in its fragment
// (/sv/report/receipt#CODE) and another path than this page's, so assigning it loads the page.
document.addEventListener("htmx:beforeOnLoad", (event) => {
  const redirect = event.detail.xhr.getResponseHeader("HX-Redirect");
  if (!redirect) return;
  event.preventDefault();
  Promise.allSettled([keepReceipt(event.detail.xhr.responseText), sentFromForm()]).then((results) => {
    for (const { reason } of results.filter(({ status }) => status === "rejected")) console.error(reason);
    window.location.assign(redirect);
  });
});

// 403, 413 and 429 come back as a whole page: show its message above the form. A 5xx
// is the server's failure, not the report's: the report waits in the outbox.
document.addEventListener("htmx:responseError", (event) => {
  if (event.detail.xhr.status >= 500) {
    keepInOutbox(event.detail.elt, "server");
    return;
  }
  const page = new DOMParser().parseFromString(event.detail.xhr.responseText, "text/html");
  const message = page.querySelector("main p");
  if (message) showProblem(event.detail.elt, message.textContent);
});

document.addEventListener("outbox:filled", showPositionButtons);

document.addEventListener("htmx:afterSettle", () => {
  showPositionButtons();
  showAddPlate(document.getElementById("report-form"));
  document.getElementById("error-summary")?.focus();
});

freshForm();
showPositionButtons();
showAddPlate(document.getElementById("report-form"));
