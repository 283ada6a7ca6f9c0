// The server puts VERSION, PRECACHE, DATA_PAGES, DATA_PAGE_TIMEOUT_SECONDS, LANGUAGES,
// DATABASE_SCRIPT, OUTBOX_SCRIPT, OUTBOX_SETTINGS, ICON and PUBLIC_URL above this line (see
// pwa/shell.py).
//
// Every public page and static file is cached at install, under a cache named after the
// release. Release pages and files are answered from there first: at the marina the signal is
// weak and at sea there is none. A new release has a new VERSION, so the browser installs
// this worker anew on the next visit with network, and the old cache is deleted once the new
// one is complete.
//
// Data pages (DATA_PAGES: the report form, which lists the harbours from the database, and the
// home and promise pages, which show the citizen promise) change without a release, so they go
// to the network first and the cached copy is replaced by every good answer; the copy is shown
// when no good answer comes within DATA_PAGE_TIMEOUT_SECONDS.
//
// The receipt page is a release page: the code it shows is in the address's fragment, which is
// not part of a request, so /sv/report/receipt#CODE is answered with the one cached page.

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
const DATA = new Set(DATA_PAGES);

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
  const answer = DATA.has(url.pathname)
    ? await networkFirst(url.pathname, event)
    : await caches.match(request, { cacheName: CACHE });
  if (answer) return answer;
  try {
    return await fetch(request);
  } catch (error) {
    const offline = await caches.match(`/${language || (await savedLanguage())}/offline`, { cacheName: CACHE });
    if (offline) return offline;
    throw error;
  }
}

// A data page from the network if it answers in time, else the copy last seen (kept from the
// install or the last visit with network). A late answer still replaces the copy, for the next
// visit. Resolves to null when there is neither: the navigation then goes on as for any page.
async function networkFirst(path, event) {
  const kept = await caches.match(path, { cacheName: CACHE });
  const fresh = fetchDataPage(path);
  event.waitUntil(fresh.then((answer) => refreshIfChanged(path, kept, answer)));
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, DATA_PAGE_TIMEOUT_SECONDS * 1000, null);
  });
  const answer = await Promise.race([fresh, late]);
  clearTimeout(timer);
  if (answer) return answer;
  return (await caches.match(path, { cacheName: CACHE })) || fresh;
}

// A data page that changed says that its data did, which the other data pages of its language
// may show too (the home page and the promise pages all show the citizen promise): they are
// fetched as well, so that one visit with network brings the phone all of them for offline use.
// Compared by ETag, which the server gives a page that is the same for everyone.
async function refreshIfChanged(path, kept, answer) {
  const etag = answer && answer.headers.get("ETag");
  if (!kept || !etag || kept.headers.get("ETag") === etag) return;
  const language = `/${languageOf(new URL(path, self.location.origin))}/`;
  const others = DATA_PAGES.filter((other) => other !== path && other.startsWith(language));
  await Promise.all(others.map(fetchDataPage));
}

// Fetched as the install fetches it, without cookies, whatever the navigation carries: what is
// kept on the phone is the page anyone gets, never a logged-in person's or a session's. Asked
// with the kept copy's ETag: a page that has not changed comes back as a 304 without a body,
// and the kept copy is shown. Only a plain 200 is kept and shown besides; anything else (no
// answer, a 5xx, a redirect) resolves to null.
async function fetchDataPage(path) {
  const kept = await caches.match(path, { cacheName: CACHE });
  const etag = kept && kept.headers.get("ETag");
  let response;
  try {
    response = await fetch(path, {
      credentials: "omit",
      cache: "no-store",
      headers: etag ? { "If-None-Match": etag } : {},
    });
  } catch (error) {
    return null;
  }
  if (response.status === 304 && kept) return kept;
  if (response.status !== 200 || response.redirected) return null;
  try {
    await (await caches.open(CACHE)).put(path, response.clone());
  } catch (error) {
    // Storage full: the page is shown all the same, and the older copy stays.
    console.warn("The page could not be kept for offline use:", error);
  }
  return response;
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

// Alerts (pwa/alerts): a push is an alert's title and id in Declarative Web Push's form, which
// Safari 18.4 and later shows by itself; other browsers give it to this handler, which shows
// the same. Tapping the notification opens the alert on the Alerts page, which has its text.
self.addEventListener("push", (event) => {
  const notification = event.data && readPush(event.data);
  if (!notification) return;
  event.waitUntil(
    (async () => {
      await self.registration.showNotification(notification.title, {
        tag: notification.tag,
        lang: notification.lang,
        icon: ICON,
        requireInteraction: notification.data.priority === "urgent",
        data: { ...notification.data, navigate: notification.navigate },
      });
      // The number on the app's icon, where the Badging API is.
      if (self.navigator.setAppBadge) {
        const shown = await self.registration.getNotifications();
        await self.navigator.setAppBadge(shown.length).catch(() => {});
      }
    })(),
  );
});

function readPush(data) {
  try {
    const { notification } = data.json();
    return notification && notification.title && notification.navigate ? notification : null;
  } catch (error) {
    return null;
  }
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = alertPage(event.notification.data && event.notification.data.navigate);
  if (target) event.waitUntil(openAlert(target));
});

// The Alerts page that the push names, at the alert's anchor, on the address this app runs at;
// null for any other page or site, whatever the push said. The server names the site by its
// PUBLIC_URL, which may be another of its names.
function alertPage(address) {
  let given;
  try {
    given = new URL(address, self.location.origin);
  } catch (error) {
    return null;
  }
  const site = [self.location.origin, PUBLIC_URL && new URL(PUBLIC_URL).origin];
  const language = languageOf(given);
  if (!site.includes(given.origin) || !language || !/^\/\w+\/alerts\/?$/.test(given.pathname)) return null;
  const anchor = /^#alert-\d+$/.test(given.hash) ? given.hash : "";
  return new URL(`/${language}/alerts/${anchor}`, self.location.origin).href;
}

// In an open window of the app if there is one, else in a new one. Only a window this worker
// controls can be navigated; focus() and openWindow() are allowed only in answer to the
// person's tap, and a refused focus() must not stop the alert from opening.
async function openAlert(target) {
  for (const client of await self.clients.matchAll({ type: "window" })) {
    try {
      const opened = (await client.navigate(target)) || client;
      await opened.focus().catch((error) => console.warn("The alert's window was not focused:", error));
      return;
    } catch (error) {
      console.warn("An open window could not be taken to the alert:", error);
    }
  }
  await self.clients.openWindow(target);
}
