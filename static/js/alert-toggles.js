// Alerts on this phone, one tap per harbour: the block of the home page, the report page and
// the Alerts page (alerts/_alert_toggles.html). A tap turns that harbour's alerts on or off at
// once: the first asks for notifications and subscribes the browser with the site's key, each
// tells the server the harbours now chosen, and the last one off ends the subscription. Where
// the browser cannot have alerts the block says why.
//
// What the person chose (harbours, quiet hours) is kept on the phone, in localStorage, so that
// the three pages show the same; the server keeps the same with the browser's push address,
// and nothing else.
import { text } from "./texts.js";

const CHOICES_KEY = "alert-choices";
// The Alerts page's quiet hours until the person chooses others there.
const NO_CHOICES = { harbours: [], quiet_from: 22, quiet_until: 7 };
const block = document.getElementById("alert-toggles");
const listeners = [];
let shown = { ...NO_CHOICES };
let busy = false;

function isIphone() {
  return /iPhone|iPad|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
}

function isInstalled() {
  return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
}

function explain(reason) {
  const unavailable = document.getElementById("push-unavailable");
  unavailable.textContent = text(`alerts${reason[0].toUpperCase()}${reason.slice(1)}`);
  unavailable.hidden = false;
  document.getElementById("alert-choices").hidden = true;
  if (reason === "ios") document.getElementById("ios-steps").hidden = false;
  return false;
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

function kept() {
  try {
    return { ...NO_CHOICES, ...JSON.parse(localStorage.getItem(CHOICES_KEY) || "null") };
  } catch (error) {
    return { ...NO_CHOICES };
  }
}

function keep(choices) {
  localStorage.setItem(CHOICES_KEY, JSON.stringify(choices));
}

function show(choices) {
  shown = choices;
  const on = [];
  for (const button of block.querySelectorAll("[data-harbour]")) {
    const pressed = choices.harbours.includes(Number(button.dataset.harbour));
    button.setAttribute("aria-pressed", String(pressed));
    if (pressed) on.push(button.textContent.trim());
  }
  tell(on.length ? text("alertsOn", { harbours: on.join(", ") }) : text("alertsOff"));
  for (const listener of listeners) listener(choices);
}

function tell(message) {
  document.getElementById("alerts-state").textContent = message;
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
}

async function subscribe(choices) {
  try {
    // Asked in answer to the tap, as browsers require: nothing is awaited before it.
    if ((await Notification.requestPermission()) !== "granted") return explain("denied");
    const key = keyBytes(block.dataset.publicKey);
    const registration = await navigator.serviceWorker.ready;
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription, key)) {
      // The site has a new key: a subscription made with the old one would be refused.
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ||= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    await post(block.dataset.subscribeUrl, { ...subscription.toJSON(), ...choices });
    keep(choices);
    show(choices);
  } catch (error) {
    console.warn("Alerts could not be turned on:", error);
    tell(text("alertsFailed"));
  }
}

async function unsubscribe(choices) {
  keep(choices);
  show(choices);
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.getSubscription();
  if (!subscription) return;
  const { endpoint } = subscription;
  await subscription.unsubscribe();
  // Also when the server cannot be reached: the browser's push address no longer works.
  await post(block.dataset.unsubscribeUrl, { endpoint }).catch((error) => console.warn(error));
}

// Turn alerts on for the chosen harbours with the chosen quiet hours, or off with none; while
// alerts are off, the quiet hours are only kept for when they are turned on.
export async function save(choices) {
  if (busy) return;
  busy = true;
  block.setAttribute("aria-busy", "true");
  try {
    await (choices.harbours.length ? subscribe(choices) : unsubscribe(choices));
  } finally {
    busy = false;
    block.removeAttribute("aria-busy");
  }
}

export function chosen() {
  return { ...shown, harbours: [...shown.harbours] };
}

// Called with the choices each time they are shown: at the start, after a tap, and when
// another page of the app changed them.
export function onChange(listener) {
  listeners.push(listener);
}

function tap(event) {
  const button = event.target.closest("[data-harbour]");
  if (!button) return;
  const harbour = Number(button.dataset.harbour);
  const harbours = shown.harbours.includes(harbour)
    ? shown.harbours.filter((other) => other !== harbour)
    : [...shown.harbours, harbour];
  save({ ...shown, harbours });
}

async function showAsKept() {
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.getSubscription();
  const choices = kept();
  show(subscription ? choices : { ...choices, harbours: [] });
}

// Resolves to true once the harbours can be tapped, false where this browser cannot have alerts.
async function start() {
  if (!block || !block.dataset.publicKey) return false;
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return explain(isIphone() && !isInstalled() ? "ios" : "unsupported");
  }
  if (Notification.permission === "denied") return explain("denied");
  busy = true;
  for (const button of block.querySelectorAll("[data-harbour]")) button.disabled = false;
  block.addEventListener("click", tap);
  await showAsKept();
  busy = false;
  // Another tab chose, or this page comes back from the back/forward cache after another
  // page of the app chose: show what is kept now.
  window.addEventListener("storage", (event) => {
    if (event.key === CHOICES_KEY && !busy) show(kept());
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && !busy) showAsKept();
  });
  return true;
}

export const started = start();
