// The server puts VERSION, PRECACHE, LANGUAGES, DATABASE_SCRIPT, OUTBOX_SCRIPT and
// OUTBOX_SETTINGS above this line (see pwa/shell.py).
//
// Every public page and static file is cached at install, under a cache named after the
// release, and answered from there first: at the marina the signal is weak and at sea there
// is none. A new release has a new VERSION, so the browser installs this worker anew on the
// next visit with network, and the old cache is deleted once the new one is complete.

// The outbox: the same storage and sending code as the pages (static/js/database.js, then
// static/js/outbox.js, which uses it). Loaded at the top, as importScripts must be, under
// their hashed names: a new release of either changes these bytes, so the browser installs
// the new worker, and keeps both scripts with it for when it starts offline.
importScripts(DATABASE_SCRIPT);
importScripts(OUTBOX_SCRIPT);
outbox.configure(OUTBOX_SETTINGS);

const CACHE = `pages-${VERSION}`;
// Not tied to a release: the language the person last read in, for `/` when offline.
const PREFERENCES = "preferences";
const LANGUAGE_KEY = "/language";
const PRECACHED = new Set(PRECACHE);

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Pages are fetched past the HTTP cache; hashed files may come from it, as they never change.
      // No cookies: the pages do not depend on them, and fetching both languages must not
      // overwrite the language the person chose.
      await cache.addAll(
        PRECACHE.map(
          (url) =>
            new Request(url, {
              cache: url.startsWith("/static/") ? "default" : "reload",
              credentials: "omit",
            }),
        ),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE && name !== PREFERENCES) await caches.delete(name);
      }
      // The page that installed this worker was not yet under its control: save its language.
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const language = windows.map((client) => languageOf(new URL(client.url))).find(Boolean);
      if (language && !(await caches.match(LANGUAGE_KEY, { cacheName: PREFERENCES }))) {
        await saveLanguage(language);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request, url, event));
  } else if (PRECACHED.has(url.pathname)) {
    event.respondWith(cachedOrFetched(request));
  }
});

async function navigate(request, url, event) {
  // The worker knows the language last read in better than the cookie, which pages served
  // from the cache never update.
  if (url.pathname === "/") return Response.redirect(`/${await savedLanguage()}/`, 302);
  const language = languageOf(url);
  if (language) event.waitUntil(saveLanguage(language));
  const cached = await caches.match(request, { cacheName: CACHE });
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {
    const offline = await caches.match(`/${language || (await savedLanguage())}/offline`, { cacheName: CACHE });
    if (offline) return offline;
    throw error;
  }
}

async function cachedOrFetched(request) {
  return (await caches.match(request, { cacheName: CACHE })) || fetch(request);
}

function languageOf(url) {
  const prefix = url.pathname.split("/")[1];
  return LANGUAGES.includes(prefix) ? prefix : null;
}

async function saveLanguage(language) {
  const cache = await caches.open(PREFERENCES);
  await cache.put(LANGUAGE_KEY, new Response(language));
}

async function savedLanguage() {
  const saved = await caches.match(LANGUAGE_KEY, { cacheName: PREFERENCES });
  if (saved) return saved.text();
  const browser = self.navigator.languages.map((tag) => tag.slice(0, 2));
  return browser.find((language) => LANGUAGES.includes(language)) || LANGUAGES[0];
}

// Background Sync (Chromium): the page asked for it when it kept a report, and the browser
// fires it once there is a connection, even with the page closed. If reports still wait,
// failing the event makes the browser try again later; the pages send too, in every browser.
self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(
    outbox.sendAll({ reconnected: true }).then((waiting) => {
      if (waiting > 0) throw new Error(`${waiting} reports still wait to be sent`);
    }),
  );
});
