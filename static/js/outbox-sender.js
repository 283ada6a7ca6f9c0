// When the outbox sends, on every page: when the app is opened, when it is in view again
// (back from another app or tab, or from the back/forward cache), when the browser says the
// connection is back, at the time the next retry is due while a page is open, and in the
// background through the service worker's Background Sync where the browser has it (Chromium).
//
// The `online` event comes only when the phone itself loses and finds a network. On a dead
// signal, or with the server out of reach, navigator.onLine stays true and no event comes:
// then the retry timer finds the connection back, as tries that made no connection are
// repeated at a short interval (outbox.js), and so does coming back into view, when timers
// may not have run for a while.
//
// Safari and Firefox have no Background Sync, and their service workers may not run at all
// after a restart, so a page never relies on the worker: it sends on its own as well. The
// lock in outbox.js keeps the senders from sending one report twice at the same moment.
import "./database.js";
import "./outbox.js";

const { outbox } = globalThis;
// The timeout, the interval between tries without a connection and the back-off as the
// server is set up (OUTBOX_TIMEOUT_SECONDS, OUTBOX_NETWORK_RETRY_SECONDS,
// OUTBOX_BACK_OFF_SECONDS): JSON that base.html writes into every page, so that a page the
// service worker serves from its cache carries them too, as they were when it was cached.
// The worker gets the same settings in the header of /sw.js.
outbox.configure(JSON.parse(document.getElementById("outbox-settings").textContent));
let timer = null;
let scheduling = null;
let again = false;

export async function send(options) {
  try {
    await outbox.sendAll(options);
  } catch (error) {
    console.error("The outbox could not be sent:", error);
  }
  await schedule();
}

// Ask the service worker to send the outbox when there is a connection, even if the page
// is closed by then.
export async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    await registration?.sync?.register("outbox");
  } catch (error) {
    // Not allowed or not supported: the pages send instead.
  }
}

// Show the count and set the timer for the next retry; once more if the outbox changed meanwhile.
function schedule() {
  if (scheduling) {
    again = true;
    return scheduling;
  }
  scheduling = (async () => {
    do {
      again = false;
      await refresh();
    } while (again);
    scheduling = null;
  })();
  return scheduling;
}

async function refresh() {
  try {
    const records = await outbox.list();
    showBadge(records.length);
    clearTimeout(timer);
    const waiting = records.filter((record) => record.state === "waiting");
    // Offline the `online` event says when to try again; no need to poll.
    if (!waiting.length || navigator.onLine === false) return;
    const next = Math.min(...waiting.map((record) => record.nextAttemptAt));
    timer = setTimeout(send, Math.max(next - Date.now(), 1000));
  } catch (error) {
    console.error("The outbox could not be read:", error);
  }
}

function showBadge(count) {
  const badge = document.getElementById("outbox-badge");
  if (!badge) return;
  badge.hidden = count === 0;
  badge.textContent = badge.dataset.label.replace("{count}", String(count));
}

outbox.onChange(() => schedule());
window.addEventListener("online", () => send({ reconnected: true }));
// Back in view: reports that the server failed or left unanswered still wait for their
// back-off (outbox.js).
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") send({ reconnected: true });
});
// A page shown from the back/forward cache runs none of this module again; a page loaded
// anew sends below.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) send({ reconnected: true });
});
// A form left open for editing in a page that is gone gives its report back to the senders.
outbox
  .release()
  .catch((error) => console.error("The outbox could not be read:", error))
  .then(() => send({ reconnected: true }));
