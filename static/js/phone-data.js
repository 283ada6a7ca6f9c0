// What the app keeps on the phone: checklist ticks, own checklist items, boat cards and their
// photos. Nothing of it is ever sent to the server.
//
// Kept in the database "batsamverkan"; the outbox keeps its reports in a database of its own
// (see outbox.js), so that they are never exported, imported or replaced with these records,
// and neither schema waits for the other's upgrades.
import "./database.js";

const STORES = ["checks", "ownItems", "boats", "photos"];

// One step per schema version; never change a step that has shipped.
function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    db.createObjectStore("checks", { keyPath: "id" });
    db.createObjectStore("ownItems", { keyPath: "id" });
    db.createObjectStore("boats", { keyPath: "id" });
    db.createObjectStore("photos", { keyPath: "id" }).createIndex("boat", "boat");
  }
}

const { transaction } = globalThis.database.define("batsamverkan", 1, upgrade);

const READ = "readonly";
const WRITE = "readwrite";

export async function loadChecklist() {
  const { checks, ownItems } = await transaction(["checks", "ownItems"], READ, (s) => ({
    checks: s.checks.getAll(),
    ownItems: s.ownItems.getAll(),
  }));
  ownItems.sort((a, b) => a.created - b.created);
  return { done: new Set(checks.map((check) => check.id)), ownItems };
}

export function setDone(itemId, done) {
  return write(["checks"], (s) => (done ? s.checks.put({ id: itemId, at: new Date().toISOString() }) : s.checks.delete(itemId)));
}

export async function addOwnItem(season, title) {
  const item = { id: crypto.randomUUID(), season, title, done: false, created: Date.now() };
  await write(["ownItems"], (s) => s.ownItems.put(item));
  return item;
}

export function saveOwnItem(item) {
  return write(["ownItems"], (s) => s.ownItems.put(item));
}

export function removeOwnItem(id) {
  return write(["ownItems"], (s) => s.ownItems.delete(id));
}

// Untick a season's items, the built-in ones (by id) and the person's own, in one go.
export function resetSeason(itemIds, ownItems) {
  return write(["checks", "ownItems"], (s) => {
    for (const id of itemIds) s.checks.delete(id);
    for (const item of ownItems) s.ownItems.put({ ...item, done: false });
  });
}

export async function loadBoats() {
  const boats = await transaction(["boats"], READ, (s) => s.boats.getAll());
  return boats.sort((a, b) => a.created - b.created);
}

export async function loadPhotos(boatId) {
  const photos = await transaction(["photos"], READ, (s) => s.photos.index("boat").getAll(boatId));
  return photos.sort((a, b) => a.position - b.position);
}

// Save a boat with exactly these photos, in this order; its other photos are deleted.
export function saveBoat(boat, photos) {
  const keep = new Set(photos.map((photo) => photo.id));
  return write(["boats", "photos"], (s) => {
    s.boats.put(boat);
    photos.forEach((photo, position) => s.photos.put({ ...photo, boat: boat.id, position }));
    deletePhotos(s.photos, boat.id, keep);
  });
}

export function deleteBoat(boatId) {
  return write(["boats", "photos"], (s) => {
    s.boats.delete(boatId);
    deletePhotos(s.photos, boatId, new Set());
  });
}

function deletePhotos(store, boatId, keep) {
  store.index("boat").openKeyCursor(IDBKeyRange.only(boatId)).onsuccess = (event) => {
    const cursor = event.target.result;
    if (!cursor) return;
    if (!keep.has(cursor.primaryKey)) store.delete(cursor.primaryKey);
    cursor.continue();
  };
}

// Everything, store by store, for export and for comparison.
export function dump() {
  return transaction(STORES, READ, (s) => Object.fromEntries(STORES.map((name) => [name, s[name].getAll()])));
}

export async function counts() {
  return transaction(STORES, READ, (s) => Object.fromEntries(STORES.map((name) => [name, s[name].count()])));
}

// Replace everything with `data` (as from dump()) in one transaction: all of it, or nothing.
export function replaceAll(data) {
  return write(STORES, (s) => {
    for (const name of STORES) {
      s[name].clear();
      for (const record of data[name]) s[name].put(record);
    }
  });
}

export function deleteAll() {
  return transaction(STORES, WRITE, (s) => {
    for (const name of STORES) s[name].clear();
  });
}

// Ask the browser not to evict the data under storage pressure. Chrome decides by itself,
// Firefox asks the person: so ask when they first save something, not when a page opens.
let persisting = null;

export function keepData() {
  persisting ??= navigator.storage?.persist ? navigator.storage.persist() : Promise.resolve(false);
  return persisting;
}

export async function isKept() {
  return navigator.storage?.persisted ? navigator.storage.persisted() : false;
}

async function write(names, work) {
  const result = await transaction(names, WRITE, work);
  keepData().catch((error) => console.warn("Persistent storage was not granted:", error));
  return result;
}
