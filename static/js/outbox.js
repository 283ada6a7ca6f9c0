// The outbox: reports kept on the phone until the server has confirmed them, and the one
// piece of code that sends them, for the pages and for the service worker alike.
//
// A classic script without import or export, so that the service worker, a classic worker
// (Firefox and older Safari cannot run module service workers), loads it with importScripts,
// and pages load it with `import "./outbox.js"` for its effect: it sets globalThis.outbox.
// It needs globalThis.database: the worker and pages load database.js first.
//
// Layers, as in Workbox's background sync: the public API (queue, sendAll …) → the records
// of the outbox → raw IndexedDB with a versioned schema (database.js, shared with the phone
// data) → the request. Unlike Workbox, a 5xx is never counted as delivered, and a report is
// never dropped because it is old.
//
// A database of its own, not the phone data's "batsamverkan": reports that wait to be sent
// must not be exported, imported or replaced with the checklist and boat cards, nor wait for
// their schema upgrades (an open tab holding the old version blocks an upgrade).
//
// A try that made no connection (the fetch rejects: no signal, the server's port closed) is
// repeated at a short fixed interval: it cost the server nothing, and on a dead signal the
// browser's `online` event never comes to say that the connection is back. Once the server
// answers one report, the others that made no connection follow at once. A try that reached
// the server, or may have (no answer in time, a 5xx, a 429, a page that is not our receipt),
// waits for the growing back-off or the server's Retry-After, so that phones never hammer a
// server that is failing or slow.
//
// How long to wait for an answer, between tries without a connection and after the server's
// failures are the server's settings (OUTBOX_TIMEOUT_SECONDS, OUTBOX_NETWORK_RETRY_SECONDS,
// OUTBOX_BACK_OFF_SECONDS), given to configure() by whoever loads this script: the worker
// from its header, pages from their own markup (outbox-sender.js).
"use strict";

(() => {
  const STORE = "reports";
  // "My reports": the reference code, the time and the harbour of every report the server
  // has confirmed, from the outbox or sent straight from the form, until the person deletes
  // it. Here rather than with the phone data, so that the worker that delivers a report
  // keeps its code in the same place, and codes are never exported with the boat cards.
  const MINE = "mine";
  const CHANGED = "outbox";

  // One step per schema version; never change a step that has shipped.
  function upgrade(db, oldVersion, tx) {
    if (oldVersion < 1) db.createObjectStore(STORE, { keyPath: "clientId" });
    if (oldVersion < 2) db.createObjectStore(MINE, { keyPath: "reference" });
    if (oldVersion >= 1 && oldVersion < 3) moveSentToMine(tx);
  }

  // Up to version 2 a delivered report stayed in the outbox as "sent", with its code, until
  // the person cleared it. Now its code is only in "My reports": move each there (version 1
  // had no "My reports") and take it out of the outbox.
  function moveSentToMine(tx) {
    const mine = tx.objectStore(MINE);
    tx.objectStore(STORE).openCursor().onsuccess = (event) => {
      const cursor = event.target.result;
      if (!cursor) return;
      const record = cursor.value;
      if (record.state === "sent") {
        const entry = {
          reference: record.reference,
          clientId: record.clientId,
          sentAt: record.sentAt,
          harbour: record.summary?.harbour || "",
          readBy: null,
        };
        mine.get(entry.reference).onsuccess = (found) => {
          if (!found.target.result) mine.put(entry);
        };
        cursor.delete();
      }
      cursor.continue();
    };
  }

  const { StorageError, define } = globalThis.database;
  const reports = define("batsamverkan-outbox", 3, upgrade);

  // Run `work(store)` in one transaction; resolve with what it returned once it has committed.
  function transaction(mode, work) {
    return reports.transaction([STORE], mode, (stores) => work(stores[STORE]));
  }

  // { timeoutSeconds, networkRetrySeconds, backOffSeconds }: seconds to wait for an answer,
  // to wait after a try that made no connection, and to wait after the server's n-th failure
  // (the last one repeats, for ever).
  let settings = null;

  function configure({ timeoutSeconds, networkRetrySeconds, backOffSeconds }) {
    settings = { timeoutSeconds, networkRetrySeconds, backOffSeconds };
  }

  function setting(name) {
    if (!settings) throw new Error("outbox.configure() was not called");
    return settings[name];
  }

  // Change one record in one transaction, if it is still there: `change` returns the new
  // record, or null to leave it as it is.
  function update(clientId, change) {
    return transaction("readwrite", (store) => {
      const result = {};
      store.get(clientId).onsuccess = (event) => {
        const record = event.target.result;
        const changed = record && change(record);
        if (changed) store.put(changed);
        result.record = changed || null;
      };
      return result;
    }).then((result) => result.record);
  }

  const listeners = new Set();
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANGED) : null;
  channel?.addEventListener("message", () => listeners.forEach((listener) => listener()));

  // Tell this page and every other page and worker of the site that the outbox has changed.
  function changed() {
    listeners.forEach((listener) => listener());
    channel?.postMessage("changed");
  }

  // Call `listener` on every change, one call at a time and in order, so that a slow call
  // (one that reads the outbox) never shows an older state after a newer one. Returns the
  // function that calls it so, for a first call of one's own.
  function onChange(listener) {
    let running = Promise.resolve();
    const call = () => {
      running = running.then(listener).catch((error) => console.error(error));
      return running;
    };
    listeners.add(call);
    return call;
  }

  async function list() {
    const records = await transaction("readonly", (store) => store.getAll());
    return records.sort((a, b) => a.queuedAt - b.queuedAt);
  }

  // Keep a receipt of the server (its JSON, see docs/api.md) in "My reports", and take the
  // report it confirms out of the outbox: both or neither, in one transaction.
  async function remember(receipt) {
    const entry = {
      reference: receipt.reference,
      clientId: receipt.client_id,
      sentAt: Date.now(),
      harbour: receipt.harbour || "",
      readBy: receipt.read_by || null,
    };
    await reports.transaction([STORE, MINE], "readwrite", (stores) => {
      stores[STORE].delete(entry.clientId);
      // A report answered twice (a repeat) keeps the time it was first sent.
      stores[MINE].get(entry.reference).onsuccess = (event) => {
        if (!event.target.result) stores[MINE].put(entry);
      };
    });
    changed();
  }

  async function mine() {
    const entries = await reports.transaction([MINE], "readonly", (stores) => stores[MINE].getAll());
    return entries.sort((a, b) => b.sentAt - a.sentAt);
  }

  async function forget(reference) {
    await reports.transaction([MINE], "readwrite", (stores) => stores[MINE].delete(reference));
    changed();
  }

  // Keep a report: `failure` says why it could not be sent now ("network": no connection,
  // "timeout": no answer in time, "server" or "busy"), so that the first retry waits;
  // `replaces` is the record it was edited from.
  async function queue({ clientId, url, lang, body, summary, failure = "network", retryAfter, replaces }) {
    const serverFailures = failure === "network" ? 0 : 1;
    const record = {
      clientId,
      url,
      lang,
      body,
      summary,
      queuedAt: Date.now(),
      state: "waiting",
      attempts: 1,
      serverFailures,
      lastFailure: failure,
      nextAttemptAt: nextAttempt(failure, serverFailures, retryAfter),
    };
    await transaction("readwrite", (store) => {
      if (replaces && replaces !== clientId) store.delete(replaces);
      store.put(record);
    });
    changed();
    return record;
  }

  async function remove(clientId) {
    await transaction("readwrite", (store) => store.delete(clientId));
    changed();
  }

  // Take a report out of the senders' hands while the person edits it in the form.
  async function hold(clientId) {
    const record = await update(clientId, (found) =>
      ["waiting", "attention"].includes(found.state) ? { ...found, state: "editing", heldFrom: found.state } : null,
    );
    if (record) changed();
    return record;
  }

  // Give back reports held by a form that is gone (the page was closed or reloaded).
  async function release() {
    const held = (await list()).filter((record) => record.state === "editing");
    for (const record of held) {
      await update(record.clientId, (found) =>
        found.state === "editing" ? { ...found, state: found.heldFrom || "waiting" } : null,
      );
    }
    if (held.length) changed();
  }

  // When to try again after a failure: soon if no connection was made, else after the
  // back-off for the server's n-th failure, or when the server asked (Retry-After).
  function nextAttempt(failure, serverFailures, retryAfter) {
    if (retryAfter !== undefined) return Date.now() + retryAfter * 1000;
    const steps = setting("backOffSeconds");
    const seconds =
      failure === "network" ? setting("networkRetrySeconds") : steps[Math.min(serverFailures, steps.length) - 1];
    // Jitter, so that phones that lost the server together do not all knock again at once.
    return Date.now() + seconds * (0.8 + Math.random() * 0.4) * 1000;
  }

  function isDue(record, { reconnected, only, now }) {
    if (only) return record.clientId === only;
    if (reconnected && record.lastFailure === "network") return true;
    return record.nextAttemptAt <= now;
  }

  // Only one sender at a time, across pages, tabs and the worker. Web Locks are in every
  // current browser; without them the server's client_id still makes a double send harmless.
  function exclusively(work) {
    if (globalThis.navigator?.locks?.request) return navigator.locks.request("outbox", work);
    return work();
  }

  // Send the reports that are due (`reconnected`: the connection may be back, so also those
  // that failed for want of one; `only`: that one now). Resolve with how many still wait.
  function sendAll({ reconnected = false, only = null } = {}) {
    return exclusively(async () => {
      const { waiting, answered } = await sendDue({ reconnected, only });
      // The server answered, so the connection is back: the reports that failed for want of
      // one need not each wait for its next try.
      if (answered && !reconnected) return (await sendDue({ reconnected: true })).waiting;
      return waiting;
    });
  }

  async function sendDue({ reconnected, only }) {
    let waiting = 0;
    let answered = false;
    for (const record of await list()) {
      // The lock is ours, so a report marked as being sent was left so by a sender that died.
      const state = record.state === "sending" ? "waiting" : record.state;
      if (state !== "waiting") continue;
      const offline = globalThis.navigator?.onLine === false;
      if (offline || !isDue(record, { reconnected, only, now: Date.now() })) {
        waiting += 1;
        continue;
      }
      const outcome = await deliver(record);
      if (outcome.state === "waiting") waiting += 1;
      answered ||= outcome.answered;
    }
    return { waiting, answered };
  }

  // Send one report; resolve with its state after, and whether the server answered at all.
  async function deliver(record) {
    const claimed = await update(record.clientId, (found) =>
      ["waiting", "sending"].includes(found.state) ? { ...found, state: "sending" } : null,
    );
    if (!claimed) return { state: null, answered: false };
    changed();
    const answer = await post(claimed);
    if (isReceipt(claimed, answer)) {
      // Delivered: the report leaves the phone, and its code goes into "My reports".
      await remember(answer.body);
      return { state: null, answered: true };
    }
    const outcome = judge(answer);
    await update(claimed.clientId, (found) => (found.state === "sending" ? outcome(found) : null));
    changed();
    return { state: (await get(claimed.clientId))?.state ?? null, answered: answer.status !== 0 };
  }

  function get(clientId) {
    return transaction("readonly", (store) => store.get(clientId));
  }

  // POST the report as the form would, asking for JSON; resolve with the status, the JSON
  // body (or null) and Retry-After, or with status 0 and whether it was the timeout that
  // ended the wait (the server may be slow) or no connection was made (fetch rejected).
  async function post(record) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), setting("timeoutSeconds") * 1000);
    try {
      const response = await fetch(record.url, {
        method: "POST",
        body: record.body,
        headers: {
          "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
          Accept: "application/json",
        },
        credentials: "same-origin",
        cache: "no-store",
        signal: controller.signal,
      });
      const isJson = (response.headers.get("Content-Type") || "").startsWith("application/json");
      const body = isJson ? await response.json().catch(() => null) : null;
      return { status: response.status, body, retryAfter: response.headers.get("Retry-After") };
    } catch (error) {
      return { status: 0, body: null, retryAfter: null, timedOut: controller.signal.aborted };
    } finally {
      clearTimeout(timer);
    }
  }

  // Whether the answer is the server's receipt of this report (201, or 200 for a repeat).
  function isReceipt(record, { status, body }) {
    return (status === 201 || status === 200) && body?.client_id === record.clientId && Boolean(body.reference);
  }

  // Decide what an answer other than the receipt means for the report; return a function
  // that makes the new record.
  function judge({ status, body, retryAfter, timedOut }) {
    if (status === 429) return retry("busy", retryAfterSeconds(retryAfter));
    // No connection, no answer in time, a 5xx, or a 2xx that is not our receipt (a captive
    // portal's page, a proxy): not delivered, so try again later.
    if (status === 0) return retry(timedOut ? "timeout" : "network");
    if (status >= 500 || status < 300) return retry("server");
    return (found) => ({
      ...found,
      state: "attention",
      status,
      reason: body?.error || null,
      errors: status === 422 ? body?.errors || {} : null,
    });
  }

  function retry(failure, retryAfter) {
    return (found) => {
      // Only the server's failures make the back-off grow: an hour without a signal must not
      // make the first 503 after it wait the longest step.
      const serverFailures = (found.serverFailures || 0) + (failure === "network" ? 0 : 1);
      return {
        ...found,
        state: "waiting",
        attempts: (found.attempts || 0) + 1,
        serverFailures,
        lastFailure: failure,
        nextAttemptAt: nextAttempt(failure, serverFailures, retryAfter),
      };
    };
  }

  function retryAfterSeconds(header) {
    if (!header) return undefined;
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(seconds, 1);
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max((date - Date.now()) / 1000, 1);
  }

  globalThis.outbox = {
    StorageError,
    configure,
    forget,
    hold,
    list,
    mine,
    onChange,
    queue,
    release,
    remember,
    remove,
    sendAll,
  };
})();
