// IndexedDB, for the pages and the service worker alike: a named database with a versioned
// schema, transactions as promises, and every failure as a StorageError of one of three kinds.
// What is kept in a database is the business of phone-data.js and outbox.js, each with a
// database and a schema of its own.
//
// A classic script without import or export, like outbox.js: the service worker is a classic
// worker (Firefox and older Safari cannot run module service workers) and loads it with
// importScripts; pages load it with `import "./database.js"` for its effect. It sets
// globalThis.database.
"use strict";

(() => {
  // What went wrong, in the terms the person is told: no storage at all (private browsing,
  // storage switched off), storage full, or another failure.
  class StorageError extends Error {
    constructor(kind, cause) {
      super(cause?.message || kind, { cause });
      this.name = "StorageError";
      this.kind = kind;
    }
  }

  function storageError(error, kind = "failed") {
    if (error instanceof StorageError) return error;
    if (error?.name === "QuotaExceededError") return new StorageError("full", error);
    return new StorageError(kind, error);
  }

  // The database `name` at schema `version`, opened on first use. `upgrade(db, oldVersion,
  // tx)` runs in the upgrade transaction `tx`: one step per schema version, every step from
  // the phone's version on, in order, since a phone may skip versions. Never change a step
  // that has shipped.
  function define(name, version, upgrade) {
    let opening = null;

    function open() {
      opening ??= new Promise((resolve, reject) => {
        let request;
        try {
          request = indexedDB.open(name, version);
        } catch (error) {
          reject(storageError(error, "unavailable"));
          return;
        }
        request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion, request.transaction);
        request.onsuccess = () => {
          const db = request.result;
          // A newer release in another tab wants to upgrade the schema: let it, and reopen later.
          db.onversionchange = () => {
            db.close();
            opening = null;
          };
          resolve(db);
        };
        request.onerror = () => reject(storageError(request.error, "unavailable"));
      });
      opening.catch(() => {
        opening = null;
      });
      return opening;
    }

    // Run `work(stores, tx)` in one transaction over the stores `names`, and resolve, once it
    // has committed, with what it returned: an IDBRequest stands for its result, an object or
    // array for theirs. If anything fails, nothing of the transaction is kept.
    async function transaction(names, mode, work) {
      const db = await open();
      return new Promise((resolve, reject) => {
        let tx;
        let outcome;
        try {
          tx = db.transaction(names, mode);
        } catch (error) {
          reject(storageError(error));
          return;
        }
        tx.oncomplete = () => resolve(settle(outcome));
        tx.onabort = () => reject(storageError(tx.error || new DOMException("Aborted", "AbortError")));
        try {
          const stores = Object.fromEntries(names.map((store) => [store, tx.objectStore(store)]));
          outcome = work(stores, tx);
        } catch (error) {
          tx.onabort = null;
          tx.abort();
          reject(storageError(error));
        }
      });
    }

    return { transaction };
  }

  function settle(value) {
    if (value instanceof IDBRequest) return value.result;
    if (Array.isArray(value)) return value.map(settle);
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, settle(item)]));
    }
    return value;
  }

  globalThis.database = { StorageError, define };
})();
