// The Alerts page: turn alerts on or off for this phone's harbours, or say why this browser
// cannot have them. What the person chose (harbours, quiet hours) is kept on the phone, in
// localStorage, to show the form as they left it; the server keeps the same with the browser's
// push address, and nothing else.
const settings = document.getElementById("alert-settings");
const form = document.getElementById("alert-choices");
const offButton = document.getElementById("alerts-off");
const state = document.getElementById("alerts-state");
const unavailable = document.getElementById("push-unavailable");
const CHOICES_KEY = "alert-choices";

function isIphone() {
  return /iPhone|iPad|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
}

function isInstalled() {
  return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
}

function explain(reason) {
  unavailable.textContent = unavailable.dataset[reason];
  unavailable.hidden = false;
  if (reason === "ios") document.getElementById("ios-steps").hidden = false;
}

function tell(which) {
  state.textContent = state.dataset[which];
  offButton.hidden = which !== "on";
}

// The VAPID key as pushManager.subscribe() takes it.
function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (character) => character.charCodeAt(0));
}

function sameKey(subscription, key) {
  const given = subscription.options && subscription.options.applicationServerKey;
  if (!given) return true;
  const bytes = new Uint8Array(given);
  return bytes.length === key.length && bytes.every((byte, index) => byte === key[index]);
}

function chosen() {
  const harbours = [...form.querySelectorAll('input[name="harbour"]:checked')].map((box) => Number(box.value));
  const from = form.elements.quiet_from.value;
  return {
    harbours,
    quiet_from: from === "" ? null : Number(from),
    quiet_until: from === "" ? null : Number(form.elements.quiet_until.value),
  };
}

function show(choices) {
  for (const box of form.querySelectorAll('input[name="harbour"]')) box.checked = choices.harbours.includes(Number(box.value));
  form.elements.quiet_from.value = choices.quiet_from === null ? "" : String(choices.quiet_from);
  if (choices.quiet_until !== null) form.elements.quiet_until.value = String(choices.quiet_until);
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
}

async function turnOn(event) {
  event.preventDefault();
  const choices = chosen();
  if (choices.harbours.length === 0) return turnOff();
  try {
    // Asked in answer to the tap, as browsers require.
    if ((await Notification.requestPermission()) !== "granted") {
      explain("denied");
      return tell("off");
    }
    const key = keyBytes(settings.dataset.publicKey);
    const registration = await navigator.serviceWorker.ready;
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription, key)) {
      // The site has a new key: a subscription made with the old one would be refused.
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ||= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    await post(settings.dataset.subscribeUrl, { ...subscription.toJSON(), ...choices });
    localStorage.setItem(CHOICES_KEY, JSON.stringify(choices));
    tell("on");
  } catch (error) {
    console.warn("Alerts could not be turned on:", error);
    tell("failed");
  }
}

async function turnOff() {
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.getSubscription();
  localStorage.removeItem(CHOICES_KEY);
  show({ harbours: [], quiet_from: 22, quiet_until: 7 });
  tell("off");
  if (!subscription) return;
  const { endpoint } = subscription;
  await subscription.unsubscribe();
  // Also when the server cannot be reached: the browser's push address no longer works.
  await post(settings.dataset.unsubscribeUrl, { endpoint }).catch((error) => console.warn(error));
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

async function start() {
  document.getElementById("alerts-offline").hidden = navigator.onLine;
  tidyNotifications();
  if (!settings.dataset.publicKey) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return explain(isIphone() && !isInstalled() ? "ios" : "unsupported");
  }
  if (Notification.permission === "denied") return explain("denied");
  form.hidden = false;
  form.addEventListener("submit", turnOn);
  offButton.addEventListener("click", turnOff);
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.getSubscription();
  const kept = JSON.parse(localStorage.getItem(CHOICES_KEY) || "null");
  if (subscription && kept) {
    show(kept);
    tell("on");
  } else {
    tell("off");
  }
}

start();
