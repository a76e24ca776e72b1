// Live progress of a people import: polls its JSON every two seconds while it runs, and reloads the page
// when it ends (the summary and the error file link appear then).
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-url");
  var status = box.getAttribute("data-status");
  var bar = box.querySelector("progress");
  var percent = box.querySelector('[data-field="percent"]');
  var format = new Intl.NumberFormat("en-IN");

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    percent.textContent = data.percent;
    box.querySelectorAll("[data-count]").forEach(function (cell) {
      var name = cell.getAttribute("data-count");
      var value = name === "done" ? data.done : name === "total" ? data.total : data.counts[name];
      if (value !== undefined) { cell.textContent = format.format(value); }
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        show(data);
        if (data.status !== status) { window.location.reload(); return; }
        if (data.status === "queued" || data.status === "running") { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }

  if (status === "queued" || status === "running") { window.setTimeout(poll, 1000); }
}());
