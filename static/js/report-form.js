// The report form: a fresh identity on every load, the time now, the position on request,
// and a message when htmx gets no answer it can show.
//
// The page is cached by the service worker, so the identity the server wrote into it would
// be the same on every visit: the server would then take a second report for a repeat.

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

// 403, 413, 429 and 5xx come back as a whole page: show its message above the form.
document.addEventListener("htmx:responseError", (event) => {
  const page = new DOMParser().parseFromString(event.detail.xhr.responseText, "text/html");
  const message = page.querySelector("main p");
  if (message) showProblem(event.detail.elt, message.textContent);
});

document.addEventListener("htmx:sendError", (event) => {
  showProblem(event.detail.elt, event.detail.elt.dataset.networkError);
});

document.addEventListener("htmx:afterSettle", () => {
  showPositionButtons();
  document.getElementById("error-summary")?.focus();
});

freshForm();
showPositionButtons();
