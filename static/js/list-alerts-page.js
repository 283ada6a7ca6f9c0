// The Alerts page: the current alerts, offline as the phone last saw them; alerts turned on or
// off for a harbour in one tap (alert-toggles.js, as on the home and report pages), with the
// quiet hours that the server keeps with them, and one button that turns them all off.
import { chosen, onChange, save, started } from "./alert-toggles.js";

const quietHours = document.getElementById("quiet-hours-settings");
const from = document.getElementById("quiet-from");
const until = document.getElementById("quiet-until");
const offButton = document.getElementById("alerts-off");

function showQuietHours(choices) {
  from.value = choices.quiet_from === null ? "" : String(choices.quiet_from);
  if (choices.quiet_until !== null) until.value = String(choices.quiet_until);
  offButton.hidden = choices.harbours.length === 0;
}

// Saved at once: sent to the server while alerts are on, kept for when they are turned on.
function changeQuietHours() {
  const none = from.value === "";
  save({
    ...chosen(),
    quiet_from: none ? null : Number(from.value),
    quiet_until: none ? null : Number(until.value),
  });
}

// Notifications of alerts that are no longer on the page (withdrawn or ended) are removed,
// and the app's badge is cleared: the person is reading the alerts.
async function tidyNotifications() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.ready;
  if (navigator.clearAppBadge) navigator.clearAppBadge().catch(() => {});
  if (!registration.getNotifications || !navigator.onLine) return;
  const current = new Set([...document.querySelectorAll("article[id^='alert-']")].map((article) => article.id));
  for (const notification of await registration.getNotifications()) {
    if (notification.tag.startsWith("alert-") && !current.has(notification.tag)) notification.close();
  }
}

// A tapped notification brings an open Alerts page to its alert by the address's fragment,
// which does not load the page again: an alert newer than the page is fetched.
function showNamedAlert() {
  const named = /^#alert-\d+$/.test(location.hash) && location.hash.slice(1);
  if (named && !document.getElementById(named) && navigator.onLine) location.reload();
}

async function start() {
  document.getElementById("alerts-offline").hidden = navigator.onLine;
  window.addEventListener("hashchange", showNamedAlert);
  tidyNotifications();
  if (!(await started)) return;
  quietHours.hidden = false;
  showQuietHours(chosen());
  onChange(showQuietHours);
  from.addEventListener("change", changeQuietHours);
  until.addEventListener("change", changeQuietHours);
  offButton.addEventListener("click", () => save({ ...chosen(), harbours: [] }));
}

start();
