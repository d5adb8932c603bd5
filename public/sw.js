// Charter's service worker: the app opens with no network.
//
// The build writes the list of its own files and its version into this file
// (scripts/precache.sh, a Trunk hook); the copy in public/ is a template and is
// never served as it is. A new build is a new version: it is installed beside
// the running one and waits until the person chooses to reload, so a page never
// changes version under their hands. Only the build's files are ever cached:
// sync traffic, another origin (a relay elsewhere) and anything else go to the
// network untouched.
'use strict';

const VERSION = '__CHARTER_VERSION__';
const FILES = ['__CHARTER_FILES__'];
const PREFIX = 'charter-app-';
const CACHE = PREFIX + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key))),
      )
      .then(() => self.clients.claim()),
  );
});

// The page asks for the waiting version once the person chose to reload.
self.addEventListener('message', (event) => {
  if (event.data === 'charter:activate') {
    self.skipWaiting();
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  // Every page of the app is the app shell, as the server answers it ('/').
  const key = request.mode === 'navigate' ? '/' : url.pathname;
  if (!FILES.includes(key)) {
    return;
  }
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(key))
      .then((cached) => cached || fetch(request)),
  );
});
