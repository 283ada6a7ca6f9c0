// The receipt page as the service worker keeps it: the reference code comes from the address's
// fragment (/sv/report/receipt#7K3M9QX2PB), which the browser never sends to the server, so no
// access log or proxy records it. Only a code of the server's own form is shown, as text; with
// anything else the page keeps saying that it holds no receipt. Who reads the report comes
// from "My reports" on the phone, where the form kept the server's answer. The code can be
// copied, and shared where the browser can share (Web Share).
//
// The same page rendered by the server, as the answer to a report posted without the form's
// scripts (they had not loaded yet on a slow connection), carries the receipt itself: it is
// kept in "My reports" as the form's own receipt is, and the page is already filled in.
import "./database.js";
import "./outbox.js";
import { readersOf } from "./my-reports.js";
import { text } from "./texts.js";

// As REFERENCE_PATTERN in pwa/reports/submission.py: ten characters of Crockford's base32.
const REFERENCE = /^[0-9A-HJKMNP-TV-Z]{10}$/;

const receipt = document.querySelector("[data-receipt]");
const served = document.getElementById("receipt-data");
const noReceipt = document.querySelector("[data-no-receipt]");
const readers = receipt.querySelector("[data-readers]");
const unknownReaders = readers?.textContent;
const status = receipt.querySelector("[data-keep-code-status]");
const shareButton = receipt.querySelector("[data-share]");

function codeInAddress() {
  const code = window.location.hash.slice(1);
  return REFERENCE.test(code) ? code : null;
}

async function showReaders(code) {
  readers.textContent = unknownReaders;
  if (!code) return;
  try {
    const entry = (await globalThis.outbox.mine()).find((found) => found.reference === code);
    if (entry && code === codeInAddress()) readers.textContent = readersOf(entry) || unknownReaders;
  } catch (error) {
    console.error(error);
  }
}

function show() {
  const code = codeInAddress();
  receipt.querySelector("[data-reference]").textContent = code || "";
  receipt.querySelector("input[name=code]").value = code || "";
  receipt.hidden = !code;
  noReceipt.hidden = Boolean(code);
  status.textContent = "";
  // The other language's receipt, with the same code: the fragment stays in the browser.
  for (const link of document.querySelectorAll("a.language-switch")) link.hash = code || "";
  showReaders(code);
}

async function copy() {
  const code = codeInAddress();
  try {
    await navigator.clipboard.writeText(code);
    status.textContent = text("copied");
  } catch (error) {
    console.warn(error);
    status.textContent = text("copyFailed");
    getSelection().selectAllChildren(receipt.querySelector("[data-reference]"));
  }
}

async function share() {
  try {
    await navigator.share({ text: text("shareText", { reference: codeInAddress() }) });
  } catch (error) {
    // The person closed the share sheet (AbortError), or sharing failed: copying remains.
    if (error?.name !== "AbortError") console.warn(error);
  }
}

if (served) {
  globalThis.outbox.remember(JSON.parse(served.textContent)).catch((error) => console.error("My reports:", error));
} else {
  receipt.querySelector("[data-copy]").addEventListener("click", copy);
  shareButton.addEventListener("click", share);
  shareButton.hidden = typeof navigator.share !== "function";
  receipt.querySelector("[data-keep-code]").hidden = false;
  window.addEventListener("hashchange", show);
  show();
}
