// The checklist page: the current season first, ticks and own items kept on the phone,
// progress per season and in total.
import { checkForm, recheckOnInput } from "./fields.js";
import { say, warn } from "./notices.js";
import { addOwnItem, loadChecklist, removeOwnItem, resetSeason, saveOwnItem, setDone } from "./phone-data.js";
import { seasonOrder } from "./seasons.js";
import { text } from "./texts.js";

const sections = [...document.querySelectorAll("[data-season]")];
const ownTemplate = document.querySelector("template[data-own-item]");
// The person's own items as stored, by id.
const ownItems = new Map();

function putCurrentSeasonFirst() {
  const seasons = sections.map((section) => ({
    id: section.dataset.season,
    months: section.dataset.months.split(" ").filter(Boolean).map(Number),
    section,
  }));
  const order = seasonOrder(seasons);
  const byId = Object.fromEntries(seasons.map((season) => [season.id, season.section]));
  document.querySelector("[data-seasons]").append(...order.map((id) => byId[id]));
  byId[order[0]].querySelector("[data-now]").hidden = seasons.find((season) => season.id === order[0]).months.length === 0;
}

function seasonTitle(section) {
  return section.querySelector("[data-season-title]").textContent;
}

function boxes(section) {
  return [...section.querySelectorAll("input[type=checkbox]")];
}

function progress(section) {
  const all = boxes(section);
  return { done: all.filter((box) => box.checked).length, total: all.length };
}

function showProgress() {
  let done = 0;
  let total = 0;
  for (const section of sections) {
    const counted = progress(section);
    section.querySelector("[data-progress]").textContent = text("progress", counted);
    done += counted.done;
    total += counted.total;
  }
  document.querySelector("[data-total-progress]").textContent = text("progress", { done, total });
  Object.assign(document.querySelector("[data-total-bar]"), { max: total, value: done });
}

function ownItemElement(section, item) {
  ownItems.set(item.id, item);
  const element = ownTemplate.content.firstElementChild.cloneNode(true);
  const box = element.querySelector("[data-own]");
  const label = element.querySelector("[data-own-title]");
  box.id = `own-item-${item.id}`;
  box.dataset.own = item.id;
  box.checked = item.done;
  label.htmlFor = box.id;
  label.textContent = item.title;
  const remove = element.querySelector("[data-remove-own]");
  remove.setAttribute("aria-label", text("removeOwn", { title: item.title }));
  box.addEventListener("change", async () => {
    try {
      await saveOwnItem({ ...item, done: box.checked });
    } catch (error) {
      box.checked = !box.checked;
      warn(error);
      return;
    }
    item.done = box.checked;
    announceTick(section, box, item.title);
  });
  remove.addEventListener("click", async () => {
    try {
      await removeOwnItem(item.id);
    } catch (error) {
      warn(error);
      return;
    }
    ownItems.delete(item.id);
    element.remove();
    showProgress();
    section.querySelector("[data-add-own] input").focus();
    say(text("ownRemoved", { title: item.title }));
  });
  return element;
}

function announceTick(section, box, title) {
  showProgress();
  say(text(box.checked ? "ticked" : "unticked", { title, season: seasonTitle(section), ...progress(section) }));
}

function wire(section, stored) {
  for (const box of section.querySelectorAll("[data-item]")) {
    box.addEventListener("change", async () => {
      try {
        await setDone(box.dataset.item, box.checked);
      } catch (error) {
        box.checked = !box.checked;
        warn(error);
        return;
      }
      announceTick(section, box, box.labels[0].textContent);
    });
  }
  const list = section.querySelector("[data-own-items]");
  list.append(...stored.map((item) => ownItemElement(section, item)));

  const form = section.querySelector("[data-add-own]");
  const input = form.querySelector("input");
  recheckOnInput(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!checkForm(form)) return;
    let item;
    try {
      item = await addOwnItem(section.dataset.season, input.value.trim());
    } catch (error) {
      warn(error);
      return;
    }
    list.append(ownItemElement(section, item));
    input.value = "";
    showProgress();
    say(text("ownAdded", { title: item.title, season: seasonTitle(section) }));
  });

  const reset = section.querySelector("[data-reset]");
  reset.addEventListener("click", async () => {
    if (!window.confirm(text("resetConfirm", { season: seasonTitle(section) }))) return;
    const builtIn = [...section.querySelectorAll("[data-item]")].map((box) => box.dataset.item);
    const own = [...ownItems.values()].filter((item) => item.season === section.dataset.season);
    try {
      await resetSeason(builtIn, own);
    } catch (error) {
      warn(error);
      return;
    }
    for (const box of boxes(section)) box.checked = false;
    for (const item of own) item.done = false;
    showProgress();
    say(text("resetDone", { season: seasonTitle(section) }));
  });
  form.hidden = false;
  reset.hidden = false;
}

async function start() {
  putCurrentSeasonFirst();
  let state;
  try {
    state = await loadChecklist();
  } catch (error) {
    warn(error);
    return;
  }
  for (const box of document.querySelectorAll("[data-item]")) {
    box.checked = state.done.has(box.dataset.item);
    box.disabled = false;
  }
  for (const section of sections) {
    wire(section, state.ownItems.filter((item) => item.season === section.dataset.season));
  }
  showProgress();
}

start();
