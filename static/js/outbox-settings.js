// The outbox's timeout and back-off as the server is set up (OUTBOX_TIMEOUT_SECONDS,
// OUTBOX_BACK_OFF_SECONDS): JSON that base.html writes into every page, so that a page the
// service worker serves from its cache carries them too, as they were when it was cached.
// The worker gets the same settings in the header of /sw.js.
export const outboxSettings = JSON.parse(document.getElementById("outbox-settings").textContent);
