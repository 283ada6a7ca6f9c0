// "My boat is stolen": the chosen boat card on one screen, to read out, print or share.
import { fillDetails } from "./boat-details.js";
import { say, warn } from "./notices.js";
import { loadBoats, loadPhotos } from "./phone-data.js";
import { text } from "./texts.js";

const article = document.querySelector("[data-stolen-boat]");
const choice = document.querySelector("[data-choose-boat]");
const shareButton = document.querySelector("[data-share]");
const copyButton = document.querySelector("[data-copy]");
let shown = null;

async function show(boat) {
  const photos = await loadPhotos(boat.id);
  fillDetails(article, boat, photos);
  shown = { boat, photos };
  article.hidden = false;
  document.querySelector("[data-stolen-actions]").hidden = false;
}

// The description as plain text, from what the page shows.
function description() {
  const lines = [text("shareTitle", { name: shown.boat.name })];
  for (const row of article.querySelectorAll(":scope > .details > [data-row], :scope > .details > [data-engine]")) {
    if (row.hidden) continue;
    const [term, value] = row.querySelectorAll(":scope > dt, :scope > dd");
    if (row.matches("[data-engine]")) {
      lines.push("", term.textContent.trim());
      for (const part of value.querySelectorAll("[data-row]")) {
        if (!part.hidden) lines.push(`${part.querySelector("dt").textContent}: ${part.querySelector("dd").textContent}`);
      }
    } else {
      lines.push(`${term.textContent}: ${value.textContent}`);
    }
  }
  return lines.join("\n");
}

async function share() {
  const files = shown.photos.map((photo, index) => new File([photo.blob], `${index + 1}.jpg`, { type: photo.type }));
  const data = { title: text("shareTitle", { name: shown.boat.name }), text: description() };
  try {
    await navigator.share(files.length && navigator.canShare?.({ ...data, files }) ? { ...data, files } : data);
  } catch (error) {
    // The person closed the share sheet: nothing went wrong.
    if (error.name === "AbortError") return;
    console.error(error);
    await copy();
  }
}

async function copy() {
  try {
    await navigator.clipboard.writeText(description());
    say(text("copied"));
  } catch (error) {
    console.error(error);
    say(text("copyFailed"));
  }
}

async function start() {
  document.querySelector("[data-print]").addEventListener("click", () => window.print());
  shareButton.addEventListener("click", share);
  copyButton.addEventListener("click", copy);
  const canShare = typeof navigator.share === "function";
  shareButton.hidden = !canShare;
  copyButton.hidden = canShare;
  let boats;
  try {
    boats = await loadBoats();
  } catch (error) {
    warn(error);
    return;
  }
  if (!boats.length) {
    document.querySelector("[data-no-boats]").hidden = false;
    return;
  }
  const wanted = location.hash.replace(/^#boat-/, "");
  const first = boats.find((boat) => boat.id === wanted) || boats[0];
  if (boats.length > 1) {
    choice.replaceChildren(...boats.map((boat) => new Option(boat.name, boat.id, false, boat === first)));
    choice.addEventListener("change", async () => {
      history.replaceState(null, "", `#boat-${choice.value}`);
      try {
        await show(boats.find((boat) => boat.id === choice.value));
      } catch (error) {
        warn(error);
      }
    });
    document.querySelector("[data-boat-choice]").hidden = false;
  }
  try {
    await show(first);
  } catch (error) {
    warn(error);
  }
}

start();
