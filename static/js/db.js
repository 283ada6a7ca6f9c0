// IndexedDB, the phone's own database: its versioned schema, and transactions as promises.
// Only phone-data.js uses this module; pages use phone-data.js.

const NAME = "batsamverkan";
const VERSION = 1;
export const STORES = ["checks", "ownItems", "boats", "photos"];

// One step per schema version. A phone may skip versions, so every step from its version
// on runs, in order, in the upgrade transaction. Never change a step that has shipped.
function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    db.createObjectStore("checks", { keyPath: "id" });
    db.createObjectStore("ownItems", { keyPath: "id" });
    db.createObjectStore("boats", { keyPath: "id" });
    db.createObjectStore("photos", { keyPath: "id" }).createIndex("boat", "boat");
  }
}

// What went wrong, in the terms the person is told: no storage at all (private browsing,
// storage switched off), storage full, or another failure.
export class StorageError extends Error {
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

let opening = null;

export function open() {
  opening ??= new Promise((resolve, reject) => {
    let request;
    try {
      request = indexedDB.open(NAME, VERSION);
    } catch (error) {
      reject(storageError(error, "unavailable"));
      return;
    }
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
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

// Run `work(stores)` in one transaction and resolve, once it has committed, with what it
// returned: an IDBRequest stands for its result, an object or array for theirs. If anything
// fails, nothing of the transaction is kept.
export async function transaction(names, mode, work) {
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
    const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
    try {
      outcome = work(stores, tx);
    } catch (error) {
      tx.onabort = null;
      tx.abort();
      reject(storageError(error));
    }
  });
}

function settle(value) {
  if (value instanceof IDBRequest) return value.result;
  if (Array.isArray(value)) return value.map(settle);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, settle(item)]));
  }
  return value;
}
