/* The vistarak app's service worker, version {{ version }}.
   It caches only the app shell (page, styles, scripts), under a versioned cache name. Records wait in
   IndexedDB, which no cache update or clean-up touches: a new version never strands a queued record.
   It never replays a POST (the page's queue owns sending, with its client UUIDs). */
"use strict";
const CACHE = "fieldwork-shell-v{{ version }}";
const SHELL = "{% url 'fieldwork:app' %}";
const FILES = [SHELL, {% for file in files %}"{{ file|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key.startsWith("fieldwork-shell-") && key !== CACHE).map((key) => caches.delete(key))
  )).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    // The shell: the network's when there is one (a fresh login check), else the cached one.
    event.respondWith(fetch(request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
      }
      return response;
    }).catch(() => caches.match(SHELL)));
    return;
  }
  if (FILES.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});
