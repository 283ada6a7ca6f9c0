// The boat card page: the boats kept on the phone, and the form to add or edit one.
import { fillDetails } from "./boat-details.js";
import { checkCin } from "./cin.js";
import { checkForm, clearErrors, recheckOnInput, showError } from "./fields.js";
import { clearWarning, say, warn } from "./notices.js";
import { deleteBoat, loadBoats, loadPhotos, saveBoat } from "./phone-data.js";
import { scaleDown } from "./photos.js";
import { text } from "./texts.js";

const form = document.querySelector("[data-boat-form]");
const title = form.querySelector("[data-form-title]");
const boatFields = [...form.querySelectorAll("[data-boat-fields] [data-kind]")];
const engines = form.querySelector("[data-engines]");
const addEngineButton = form.querySelector("[data-add-engine]");
const photoInput = form.querySelector("#boat-photos");
const photoList = form.querySelector("[data-photo-list]");
const list = document.querySelector("[data-boat-list]");
const addButton = document.querySelector("[data-add-boat]");

// The boat being edited (null for a new one), and the photos shown in the form, in order.
let editing = null;
let photos = [];
let enginesMade = 0;

function template(name) {
  return document.querySelector(`template[data-${name}]`).content.firstElementChild.cloneNode(true);
}

async function showBoats(focusId = null) {
  const boats = await loadBoats();
  const items = await Promise.all(boats.map(async (boat) => boatItem(boat, await loadPhotos(boat.id))));
  list.replaceChildren(...items);
  document.querySelector("[data-no-boats]").hidden = boats.length > 0;
  if (focusId) list.querySelector(`[data-boat="${focusId}"] h3`)?.focus();
}

function boatItem(boat, boatPhotos) {
  const item = template("boat-summary");
  item.dataset.boat = boat.id;
  item.querySelector("h3").tabIndex = -1;
  fillDetails(item, boat, boatPhotos);
  item.querySelector("[data-edit]").addEventListener("click", () => edit(boat, boatPhotos));
  item.querySelector("[data-delete]").addEventListener("click", () => remove(boat));
  const stolen = item.querySelector("[data-stolen]");
  stolen.href = `${stolen.getAttribute("href")}#boat-${boat.id}`;
  return item;
}

function open(boat, boatPhotos) {
  editing = boat;
  form.reset();
  clearErrors(form);
  clearPhotos();
  engines.replaceChildren();
  for (const field of boatFields) field.value = boat?.[field.name] ?? "";
  for (const engine of boat?.engines ?? [{}]) addEngine(engine);
  photos = boatPhotos.map((photo) => ({ ...photo, url: URL.createObjectURL(photo.blob) }));
  showPhotos();
  title.textContent = boat ? text("editBoat", { name: boat.name }) : text("newBoat");
  form.hidden = false;
  addButton.hidden = true;
  title.focus();
}

function edit(boat, boatPhotos) {
  open(boat, boatPhotos);
}

function close() {
  form.hidden = true;
  addButton.hidden = false;
  clearPhotos();
  editing = null;
}

function addEngine(values = {}) {
  const engine = template("engine-form");
  enginesMade += 1;
  for (const element of engine.querySelectorAll("[id], [for], [aria-describedby]")) {
    for (const attribute of ["id", "for", "aria-describedby"]) {
      const value = element.getAttribute(attribute);
      if (value) element.setAttribute(attribute, value.replaceAll("__N__", enginesMade));
    }
  }
  for (const field of engine.querySelectorAll("[data-kind]")) field.value = values[field.name] ?? "";
  engine.querySelector("[data-remove-engine]").addEventListener("click", () => {
    const number = [...engines.children].indexOf(engine) + 1;
    engine.remove();
    numberEngines();
    addEngineButton.focus();
    say(text("engineRemoved", { number }));
  });
  engines.append(engine);
  numberEngines();
  return engine;
}

function numberEngines() {
  [...engines.children].forEach((engine, index) => {
    engine.querySelector("[data-engine-number]").textContent = index + 1;
  });
}

function clearPhotos() {
  for (const photo of photos) URL.revokeObjectURL(photo.url);
  photos = [];
  photoList.replaceChildren();
}

function showPhotos() {
  photoList.replaceChildren(
    ...photos.map((photo, index) => {
      const item = template("photo-edit");
      const image = item.querySelector("[data-photo]");
      Object.assign(image, { src: photo.url, width: photo.width, height: photo.height });
      image.alt = text("photoAltNew", { number: index + 1 });
      const button = item.querySelector("[data-remove-photo]");
      button.textContent = text("removePhoto", { number: index + 1 });
      button.addEventListener("click", () => {
        URL.revokeObjectURL(photo.url);
        photos.splice(photos.indexOf(photo), 1);
        showPhotos();
        (photoList.querySelectorAll("[data-remove-photo]")[index] || photoInput).focus();
      });
      return item;
    }),
  );
}

async function addPhotos() {
  const files = [...photoInput.files];
  photoInput.value = "";
  const max = Number(photoInput.dataset.maxPhotos);
  const taken = files.slice(0, Math.max(0, max - photos.length));
  const problems = [];
  if (taken.length < files.length) problems.push(text("tooManyPhotos", { max, skipped: files.length - taken.length }));
  let added = 0;
  for (const file of taken) {
    try {
      const photo = await scaleDown(file, Number(photoInput.dataset.photoSize));
      photos.push({ id: crypto.randomUUID(), ...photo, url: URL.createObjectURL(photo.blob) });
      added += 1;
    } catch (error) {
      console.error(error);
      problems.push(text("photoUnreadable", { file: file.name }));
    }
  }
  showError(photoInput, problems.join(" "));
  showPhotos();
  if (added) say(text("photosAdded", { count: added }));
}

function valuesOf(fields) {
  return Object.fromEntries(fields.map((field) => [field.name, field.value.trim()]));
}

async function save(event) {
  event.preventDefault();
  showError(photoInput, "");
  if (!checkForm(form)) return;
  const cin = form.querySelector("[data-kind=cin]");
  if (cin.value.trim()) cin.value = checkCin(cin.value).cin;
  const boat = {
    ...valuesOf(boatFields),
    id: editing?.id ?? crypto.randomUUID(),
    created: editing?.created ?? Date.now(),
    updated: new Date().toISOString(),
    engines: [...engines.children]
      .map((engine) => valuesOf([...engine.querySelectorAll("[data-kind]")]))
      .filter((engine) => Object.values(engine).some(Boolean)),
  };
  try {
    await saveBoat(
      boat,
      photos.map(({ url, ...photo }) => photo),
    );
  } catch (error) {
    warn(error);
    return;
  }
  clearWarning();
  close();
  await showBoats(boat.id);
  say(text("saved", { name: boat.name }));
}

async function remove(boat) {
  if (!window.confirm(text("deleteConfirm", { name: boat.name }))) return;
  try {
    await deleteBoat(boat.id);
    if (editing?.id === boat.id) close();
    await showBoats();
  } catch (error) {
    warn(error);
    return;
  }
  addButton.focus();
  say(text("deleted", { name: boat.name }));
}

async function start() {
  recheckOnInput(form);
  form.addEventListener("submit", save);
  photoInput.addEventListener("change", addPhotos);
  addEngineButton.addEventListener("click", () => addEngine().querySelector("[data-kind]").focus());
  form.querySelector("[data-cancel]").addEventListener("click", () => {
    close();
    addButton.focus();
  });
  addButton.addEventListener("click", () => open(null, []));
  try {
    await showBoats();
  } catch (error) {
    warn(error);
    return;
  }
  addButton.hidden = false;
}

start();
