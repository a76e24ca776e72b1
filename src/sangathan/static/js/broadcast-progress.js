// Live counts of a broadcast's progress page: polls its JSON every two seconds until the broadcast is
// over, and reloads the page when its status changes (the buttons depend on it). The status label reads
// "done" only once no message is left queued (``broadcast_status_label``).
(function () {
  "use strict";
  var box = document.getElementById("broadcast-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-url");
  var status = box.getAttribute("data-status");
  var bar = box.querySelector("progress");
  var percent = box.querySelector('[data-field="percent"]');
  var label = document.getElementById("broadcast-status");
  var format = new Intl.NumberFormat("en-IN");

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    percent.textContent = data.percent;
    if (label && data.status_label) { label.textContent = data.status_label; }
    box.querySelectorAll("[data-count]").forEach(function (cell) {
      var name = cell.getAttribute("data-count");
      var value = data.counts[name];
      if (value !== undefined) { cell.textContent = format.format(value); }
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        show(data);
        if (data.status !== status) { window.location.reload(); return; }
        if (!(data.percent >= 100 && (status === "done" || status === "cancelled"))) {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }

  window.setTimeout(poll, 2000);
}());
