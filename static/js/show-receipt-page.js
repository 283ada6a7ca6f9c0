// The receipt page as the service worker keeps it: the reference code comes from the address's
// fragment (/sv/report/receipt#7K3M9QX2PB), which the browser never sends to the server, so no
// access log or proxy records it. Only a code of the server's own form is shown, as text; with
// anything else the page keeps saying that it holds no receipt.

// As REFERENCE_PATTERN in pwa/reports/submission.py: ten characters of Crockford's base32.
const REFERENCE = /^[0-9A-HJKMNP-TV-Z]{10}$/;

const receipt = document.querySelector("[data-receipt]");
const noReceipt = document.querySelector("[data-no-receipt]");

function codeInAddress() {
  const code = window.location.hash.slice(1);
  return REFERENCE.test(code) ? code : null;
}

function show() {
  const code = codeInAddress();
  receipt.querySelector("[data-reference]").textContent = code || "";
  receipt.querySelector("input[name=code]").value = code || "";
  receipt.hidden = !code;
  noReceipt.hidden = Boolean(code);
  // The other language's receipt, with the same code: the fragment stays in the browser.
  for (const link of document.querySelectorAll("a.language-switch")) link.hash = code || "";
}

window.addEventListener("hashchange", show);
show();
