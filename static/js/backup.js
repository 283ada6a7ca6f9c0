// The export file: everything kept on the phone in one JSON file, photos as data URLs. A file
// that is not ours, comes from a newer version or is damaged is refused as a whole.

export const FORMAT = "batsamverkan-oxelosund/phone-data";
export const VERSION = 1;
const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];

export class BackupError extends Error {
  // kind: notOurs, newer or damaged.
  constructor(kind, detail) {
    super(`${kind}: ${detail}`);
    this.name = "BackupError";
    this.kind = kind;
  }
}

// `data` as from phone-data.js dump(): { checks, ownItems, boats, photos }.
export async function toJson(data) {
  const photos = await Promise.all(
    data.photos.map(async ({ blob, ...photo }) => ({ ...photo, data: await dataUrl(blob) })),
  );
  const file = { format: FORMAT, version: VERSION, exported: new Date().toISOString(), ...data, photos };
  return JSON.stringify(file);
}

// The data in a file, checked through; throws a BackupError.
export function fromJson(json) {
  let file;
  try {
    file = JSON.parse(json);
  } catch (error) {
    throw new BackupError(json.trimStart().startsWith("{") ? "damaged" : "notOurs", error.message);
  }
  if (!isObject(file) || file.format !== FORMAT) throw new BackupError("notOurs", "no format name");
  if (!Number.isInteger(file.version) || file.version < 1) throw new BackupError("damaged", "version");
  if (file.version > VERSION) throw new BackupError("newer", `version ${file.version}`);
  const check = (condition, what) => {
    if (!condition) throw new BackupError("damaged", what);
  };
  for (const name of ["checks", "ownItems", "boats", "photos"]) check(Array.isArray(file[name]), name);
  for (const item of file.checks) check(isObject(item) && isText(item.id) && isText(item.at), "checks");
  for (const item of file.ownItems) {
    check(isObject(item) && isText(item.id) && isText(item.season) && isText(item.title), "ownItems");
    check(typeof item.done === "boolean" && Number.isFinite(item.created), "ownItems");
  }
  const boats = new Set();
  for (const boat of file.boats) {
    check(isObject(boat) && isText(boat.id) && Number.isFinite(boat.created) && Array.isArray(boat.engines), "boats");
    check(Object.entries(boat).every(([key, value]) => ["created", "engines"].includes(key) || isText(value)), "boats");
    check(boat.engines.every((engine) => isObject(engine) && Object.values(engine).every(isText)), "engines");
    boats.add(boat.id);
  }
  const photos = file.photos.map((photo) => {
    check(isObject(photo) && isText(photo.id) && boats.has(photo.boat) && PHOTO_TYPES.includes(photo.type), "photos");
    check(Number.isInteger(photo.width) && Number.isInteger(photo.height) && Number.isInteger(photo.position), "photos");
    const { data, ...rest } = photo;
    return { ...rest, blob: fromDataUrl(data, photo.type, check) };
  });
  return { checks: file.checks, ownItems: file.ownItems, boats: file.boats, photos };
}

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isText(value) {
  return typeof value === "string";
}

function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

// Decoded here: the Content-Security-Policy does not let fetch() read data: URLs.
function fromDataUrl(url, type, check) {
  const prefix = `data:${type};base64,`;
  check(isText(url) && url.startsWith(prefix), "photo data");
  let bytes;
  try {
    bytes = Uint8Array.from(atob(url.slice(prefix.length)), (char) => char.charCodeAt(0));
  } catch (error) {
    throw new BackupError("damaged", `photo data: ${error.message}`);
  }
  return new Blob([bytes], { type });
}
