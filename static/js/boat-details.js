// Fill the markup of one boat card (pwa/templates/public/_boat_details.html) with a boat, its
// engines and its photos. Rows left empty are hidden.
import { cinGroups } from "./cin.js";
import { text } from "./texts.js";

const photoUrls = new WeakMap();

export function fillDetails(root, boat, photos) {
  fillValues(root, boat);
  const engines = root.querySelector("[data-engines]");
  const engineTemplate = root.querySelector("template[data-engine-details]");
  engines.replaceChildren(
    ...boat.engines.map((engine, index) => {
      const item = engineTemplate.content.firstElementChild.cloneNode(true);
      item.querySelector("[data-engine-number]").textContent = index + 1;
      fillValues(item, engine);
      return item;
    }),
  );
  for (const url of photoUrls.get(root) || []) URL.revokeObjectURL(url);
  const urls = photos.map((photo) => URL.createObjectURL(photo.blob));
  photoUrls.set(root, urls);
  const photoTemplate = root.querySelector("template[data-photo-details]");
  root.querySelector("[data-photos]").replaceChildren(
    ...photos.map((photo, index) => {
      const item = photoTemplate.content.firstElementChild.cloneNode(true);
      const image = item.querySelector("[data-photo]");
      Object.assign(image, { src: urls[index], width: photo.width, height: photo.height });
      image.alt = text("photoAlt", { number: index + 1, name: boat.name });
      return item;
    }),
  );
}

function fillValues(root, record) {
  for (const element of root.querySelectorAll("[data-value]")) {
    const value = record[element.dataset.value] ?? "";
    const choices = element.querySelectorAll("[data-choice]");
    if (choices.length) {
      for (const choice of choices) if (choice.dataset.choice !== value) choice.remove();
    } else {
      element.textContent = element.dataset.value === "cin" && value ? readable(value) : value;
    }
    const row = element.closest("[data-row]");
    if (row) row.hidden = !value && !choices.length;
  }
}

// In groups, to read it aloud over the phone: SE-ABC 12345 D4 04.
function readable(cin) {
  const [country, maker, serial, made, model] = cinGroups(cin);
  return `${country}-${maker} ${serial} ${made} ${model}`;
}
