/* The vistarak's offline app. Records are kept in IndexedDB (Dexie) from the moment they are saved until
   the server has answered them; rejected and conflicting ones stay for correction. Sending is automatic
   (on load, when the network returns, then with capped exponential backoff) and by the button. Each
   record carries a client UUID and a version, so a re-send never creates anything twice. */
(function () {
  "use strict";
  const body = document.body;
  const API = body.dataset.api;
  const T = JSON.parse(document.getElementById("fw-strings").textContent);
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const driveId = params.get("drive") || localStorage.getItem("fw-drive");
  const BATCH = 50;
  const MAX_DELAY = 300;
  const PHOTO_MAX = 1280;
  const CHUNK = 64 * 1024;

  const db = new Dexie("sangathan-fieldwork");
  db.version(1).stores({records: "client_uuid, drive, state", start: "drive", photos: "client_uuid"});

  let start = null;
  let syncing = false;
  let failures = 0;
  let timer = null;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, (_m, key) => String(values[key]));
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  function deviceId() {
    let id = localStorage.getItem("fw-device");
    if (!id) { id = uuid(); localStorage.setItem("fw-device", id); }
    return id;
  }
  function csrf() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function note(text) { $("fw-note").textContent = text || ""; }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v; else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v);
    });
    children.forEach((child) => child && node.append(child));
    return node;
  }
  async function api(path, options) {
    const response = await fetch(API + path, Object.assign({credentials: "same-origin", headers: {
      "Content-Type": "application/json", "X-CSRFToken": csrf()}}, options || {}));
    if (response.status === 401 || response.status === 403) { note(T.login); throw new Error("auth"); }
    return response;
  }

  // --- start data: the drive, the vistarak's booths and their known workers, kept for offline use ----------
  async function loadStart() {
    start = await db.start.get(driveId);
    if (navigator.onLine) {
      try {
        const response = await api(`/drives/${driveId}/start`);
        if (response.ok) { start = Object.assign({drive: driveId}, await response.json()); await db.start.put(start); note(T.loaded); }
      } catch (error) { /* offline or signed out: the kept copy serves */ }
    }
    if (!start) { $("fw-drive").textContent = T.no_drive; return; }
    $("fw-drive").textContent = start.drive.name !== undefined ? start.drive.name : start.drive;
    const select = $("fw-booth");
    select.replaceChildren(...start.booths.map((b) => el("option", {value: b.id, text: `${b.name_hi} (${b.code}) · ${T.target} ${b.target}`})));
    renderWorkers();
  }

  function renderWorkers() {
    const booth = Number($("fw-booth").value);
    const list = start.workers.filter((w) => w.unit_id === booth).slice(0, 200);
    $("fw-workers").replaceChildren(...list.map((w) => {
      const button = el("button", {type: "button", class: "button button--small", text: T.edit});
      button.addEventListener("click", () => openForm({person_id: w.id, base: w.base, fields: {name: w.name, mobile: w.mobile.replace(/^\+91/, ""), relative_name: w.relative_name}}));
      return el("li", {}, el("span", {text: `${w.name} · ${w.mobile}`}), button);
    }));
  }

  // --- the form -----------------------------------------------------------------------------------------------
  function field(name, label, value, type) {
    const input = el("input", {name, id: `fw-f-${name}`, type: type || "text", value: value || ""});
    if (name === "mobile" || name === "alt_mobile") { input.setAttribute("inputmode", "tel"); }
    return el("div", {class: "field", "data-field": name}, el("label", {for: `fw-f-${name}`, text: label}), input,
      el("p", {class: "field__error", hidden: true}));
  }

  function openForm(existing) {
    const drive = start.drive;
    const form = $("fw-form");
    const record = existing || {};
    const values = record.fields || {};
    const children = [field("name", T.fields.name, values.name), field("mobile", T.fields.mobile, values.mobile, "tel")];
    (drive.person_fields || []).forEach((name) => children.push(field(name, T.fields[name] || name, values[name])));
    (drive.questions || []).forEach((q) => children.push(field(`q_${q.code}`, q.label, (record.answers || {})[q.code],
      q.kind === "number" ? "number" : "text")));
    children.push(el("p", {class: "fw-consent-text", text: drive.consent_text}));
    children.push(el("label", {class: "check"}, el("input", {type: "checkbox", name: "consent", checked: record.consent ? "checked" : null}), document.createTextNode(" " + T.consent)));
    children.push(el("label", {class: "check"}, el("input", {type: "checkbox", name: "gps_consent", checked: record.gps_consent ? "checked" : null}), document.createTextNode(" " + T.gps)));
    children.push(el("div", {class: "field"}, el("label", {for: "fw-f-photo", text: T.photo}),
      el("input", {id: "fw-f-photo", name: "photo", type: "file", accept: "image/*", capture: "environment"}),
      el("img", {id: "fw-preview", class: "fw-preview", alt: "", hidden: true})));
    const otp = field("otp", T.otp, "", "text");
    const sendCode = el("button", {type: "button", class: "button button--small", text: T.send_code});
    otp.append(sendCode);
    children.push(otp);
    const save = el("button", {type: "submit", class: "button button--primary", text: T.save});
    const cancel = el("button", {type: "button", class: "button", text: T.cancel});
    children.push(el("div", {class: "fw-actions"}, save, cancel));
    form.replaceChildren(...children);
    form.hidden = false;
    form.dataset.uuid = record.client_uuid || uuid();
    form.dataset.version = String(record.version || 0);
    form.dataset.person = record.person_id || "";
    form.dataset.base = record.base || "";
    showErrors(form, (record.answer && record.answer.errors) || {});
    cancel.addEventListener("click", () => { form.hidden = true; });
    sendCode.addEventListener("click", async () => {
      try {
        const response = await api(`/drives/${driveId}/codes`, {method: "POST", body: JSON.stringify({
          client_uuid: form.dataset.uuid, booth_id: Number($("fw-booth").value), mobile: form.elements.mobile.value})});
        note(response.ok ? T.code_sent : ((await response.json()).detail || ""));
      } catch (error) { note(T.offline); }
    });
    form.elements.photo.addEventListener("change", () => resizePhoto(form));
    form.onsubmit = (event) => { event.preventDefault(); saveForm(form); };
    form.elements.name.focus();
  }

  function showErrors(form, errors) {
    form.querySelectorAll("[data-field]").forEach((box) => {
      const name = box.dataset.field.startsWith("q_") ? `answers.${box.dataset.field.slice(2)}` : box.dataset.field;
      const messages = errors[name] || [];
      const p = box.querySelector(".field__error");
      box.classList.toggle("field--error", messages.length > 0);
      p.hidden = messages.length === 0;
      p.textContent = messages.join(" ");
    });
  }

  async function resizePhoto(form) {
    const file = form.elements.photo.files[0];
    if (!file) return;
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, PHOTO_MAX / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    form._photo = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.7));
    const preview = $("fw-preview");
    preview.src = canvas.toDataURL("image/jpeg", 0.3);  // CSP allows data: images, not blob: ones
    preview.hidden = false;
  }

  function position() {
    return new Promise((resolve) => {
      if (!navigator.geolocation) return resolve(null);
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy}),
        () => resolve(null), {enableHighAccuracy: true, timeout: 8000, maximumAge: 60000});
    });
  }

  async function saveForm(form) {
    const data = new FormData(form);
    const required = {};
    if (!String(data.get("name") || "").trim()) required.name = [T.required];
    if (!String(data.get("mobile") || "").trim()) required.mobile = [T.required];
    if (Object.keys(required).length) { showErrors(form, required); return; }
    const fields = {name: data.get("name"), mobile: data.get("mobile")};
    (start.drive.person_fields || []).forEach((name) => { fields[name] = data.get(name) || ""; });
    const answers = {};
    (start.drive.questions || []).forEach((q) => { answers[q.code] = data.get(`q_${q.code}`) || ""; });
    const gpsConsent = data.get("gps_consent") === "on";
    const payload = {
      client_uuid: form.dataset.uuid, version: Number(form.dataset.version) + 1, booth_id: Number($("fw-booth").value),
      captured_at: new Date().toISOString(), fields, answers, consent: data.get("consent") === "on",
      gps_consent: gpsConsent, gps: gpsConsent ? await position() : null, device_id: deviceId(),
      otp: String(data.get("otp") || "").trim(), person_id: form.dataset.person ? Number(form.dataset.person) : null,
      base: form.dataset.base,
    };
    await db.records.put({client_uuid: payload.client_uuid, drive: driveId, state: "waiting", payload, answer: null});
    if (form._photo) await db.photos.put({client_uuid: payload.client_uuid, blob: form._photo, upload: null, done: false});
    form.hidden = true;
    note(T.saved);
    await render();
    syncSoon(0);
  }

  // --- records and their answers -------------------------------------------------------------------------------
  async function render() {
    const records = await db.records.where("drive").equals(driveId || "").toArray();
    const waiting = records.filter((r) => r.state === "waiting").length;
    $("fw-waiting").textContent = fmt(T.waiting, {n: waiting});
    $("fw-waiting").dataset.count = String(waiting);
    records.sort((a, b) => (b.payload.captured_at > a.payload.captured_at ? 1 : -1));
    $("fw-records").replaceChildren(...records.slice(0, 300).map((r) => {
      const status = r.answer ? r.answer.status : "waiting";
      const item = el("li", {class: `fw-record fw-record--${status}`, "data-uuid": r.client_uuid},
        el("span", {class: "fw-record__name", text: `${r.payload.fields.name} · ${r.payload.fields.mobile}`}),
        el("span", {class: "fw-record__status", text: r.state === "waiting" ? fmt(T.waiting, {n: 1}) : (T.status[status] || status)}));
      if (r.answer && Object.keys(r.answer.errors || {}).length) {
        item.append(el("ul", {class: "fw-record__errors"}, ...Object.entries(r.answer.errors).map(([k, v]) =>
          el("li", {text: `${T.fields[k] || k}: ${v.join(" ")}`}))));
      }
      if (r.answer && r.answer.flags && r.answer.flags.length) {
        item.append(el("p", {class: "fw-record__flags", text: r.answer.flags.map((f) => T.flags[f] || f).join(", ")}));
      }
      if (r.state === "fix") {
        const fix = el("button", {type: "button", class: "button button--small", text: T.correct});
        fix.addEventListener("click", () => correct(r));
        item.append(fix);
      }
      return item;
    }));
  }

  function correct(r) {
    const p = r.payload;
    const base = r.answer && r.answer.status === "conflict" ? r.answer.base : p.base;
    openForm({client_uuid: p.client_uuid, version: p.version, fields: p.fields, answers: p.answers, consent: p.consent,
      gps_consent: p.gps_consent, person_id: p.person_id, base, answer: r.answer});
  }

  // --- sending -------------------------------------------------------------------------------------------------
  function syncSoon(seconds) {
    clearTimeout(timer);
    timer = setTimeout(syncNow, seconds * 1000);
  }

  async function syncNow() {
    if (syncing || !driveId) return;
    syncing = true;
    $("fw-sync").disabled = true;
    note(T.syncing);
    try {
      for (;;) {
        const batch = (await db.records.where("state").equals("waiting").toArray()).filter((r) => r.drive === driveId).slice(0, BATCH);
        if (!batch.length) break;
        const response = await api(`/drives/${driveId}/sync`, {method: "POST", body: JSON.stringify({records: batch.map((r) => r.payload)})});
        if (response.status === 422 || response.status === 400) {
          const problem = await response.json();
          await db.transaction("rw", db.records, () => Promise.all(batch.map((r) => db.records.update(r.client_uuid,
            {state: "fix", answer: {status: "rejected", errors: problem.errors || {__all__: [problem.detail]}, flags: []}}))));
          continue;
        }
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const {answers} = await response.json();
        await db.transaction("rw", db.records, async () => {
          for (const answer of answers) {
            const r = await db.records.get(answer.client_uuid);
            if (!r || r.payload.version !== answer.version) continue;  // changed on the phone meanwhile: still waiting
            const keep = answer.status === "rejected" || answer.status === "conflict";
            await db.records.update(r.client_uuid, {state: keep ? "fix" : "done", answer});
          }
        });
      }
      await sendPhotos();
      failures = 0;
      note("");
    } catch (error) {
      failures += 1;
      const delay = Math.min(MAX_DELAY, 5 * 2 ** (failures - 1)) + Math.floor(Math.random() * 3);
      note(navigator.onLine ? fmt(T.retry, {s: delay}) : T.offline);
      syncSoon(delay);
    } finally {
      syncing = false;
      $("fw-sync").disabled = false;
      await render();
    }
  }

  async function sendPhotos() {
    const photos = await db.photos.filter((p) => !p.done).toArray();
    for (const photo of photos) {
      const r = await db.records.get(photo.client_uuid);
      if (!r || r.state === "waiting" || !r.answer || r.answer.status === "rejected") continue;
      let response = await api(`/drives/${driveId}/uploads`, {method: "POST", body: JSON.stringify({client_uuid: photo.client_uuid, size: photo.blob.size})});
      if (!response.ok) continue;
      let upload = await response.json();
      while (!upload.done) {
        const chunk = photo.blob.slice(upload.offset, upload.offset + CHUNK);
        response = await fetch(`${API}/uploads/${upload.id}`, {method: "PATCH", credentials: "same-origin", body: chunk,
          headers: {"Upload-Offset": String(upload.offset), "Content-Type": "application/offset+octet-stream", "X-CSRFToken": csrf()}});
        if (response.status !== 200 && response.status !== 409) throw new Error(`HTTP ${response.status}`);
        upload = await response.json();  // on 409 the server's offset: resume from there
      }
      await db.photos.update(photo.client_uuid, {done: true, blob: null});
    }
  }

  // --- start ---------------------------------------------------------------------------------------------------
  function showNetwork() {
    $("fw-net").textContent = navigator.onLine ? "" : T.offline;
    body.classList.toggle("fw--offline", !navigator.onLine);
  }

  async function main() {
    if (driveId) localStorage.setItem("fw-drive", driveId);
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().then((granted) => { if (granted) body.dataset.persisted = "1"; });
    }
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(body.dataset.sw, {scope: "/fieldwork/"}).catch(() => {});
      navigator.serviceWorker.addEventListener("controllerchange", () => note(T.update_ready));
    }
    window.addEventListener("online", () => { showNetwork(); note(T.online); failures = 0; syncSoon(0); });
    window.addEventListener("offline", showNetwork);
    $("fw-sync").addEventListener("click", () => { failures = 0; syncNow(); });
    $("fw-add").addEventListener("click", () => openForm(null));
    $("fw-booth").addEventListener("change", renderWorkers);
    showNetwork();
    await loadStart();
    await render();
    if (navigator.onLine) syncSoon(0);
  }

  main();
})();
