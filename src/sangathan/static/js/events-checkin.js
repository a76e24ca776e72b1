// Check-ins made on a phone: each form gets a nonce once, when the page is drawn, so a retry or a replay of the
// same tap counts once on the server. Offline, the tap is kept in localStorage and sent when the phone is back.
(function () {
  "use strict";
  var KEY = "sangathan-events-queue";
  function nonce() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function queue() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); }
  function flush() {
    var items = queue();
    if (!items.length || !navigator.onLine) { return; }
    save([]);
    items.forEach(function (item) {
      fetch(item.action, { method: "POST", credentials: "same-origin", body: new URLSearchParams(item.fields) })
        .catch(function () { save(queue().concat([item])); });
    });
  }
  document.querySelectorAll("form[data-checkin]").forEach(function (form) {
    var field = form.querySelector("input[name=nonce]");
    if (field && !field.value) { field.value = nonce(); }
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) { return; }
      event.preventDefault();
      var fields = {};
      new FormData(form).forEach(function (value, name) { fields[name] = value; });
      save(queue().concat([{ action: form.action, fields: fields }]));
      var note = form.querySelector("[data-offline-note]");
      if (note) { note.hidden = false; }
    });
  });
  window.addEventListener("online", flush);
  flush();
}());
