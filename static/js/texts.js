// The messages a page shows from JavaScript, translated by the server into the data
// attributes of its [data-texts] elements: text("tooLong", { max: 60 }).

let texts = null;

export function text(key, values = {}) {
  texts ??= Object.assign({}, ...[...document.querySelectorAll("[data-texts]")].map((element) => element.dataset));
  const message = texts[key];
  if (message === undefined) throw new Error(`This page has no text "${key}"`);
  return message.replace(/\{(\w+)\}/g, (placeholder, name) => (name in values ? String(values[name]) : placeholder));
}

// British rather than American English: the day before the month, as in Swedish.
const LOCALES = { sv: "sv-SE", en: "en-GB" };

export function formatTime(millis) {
  const lang = document.documentElement.lang;
  return new Intl.DateTimeFormat(LOCALES[lang] || lang, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(millis),
  );
}
