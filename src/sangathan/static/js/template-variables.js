// The template form: shows, as one types, the variables ({name}) the Hindi and English texts use.
(function () {
  "use strict";
  var list = document.getElementById("template-variables");
  if (!list) { return; }
  var fields = ["id_body_hi", "id_body_en", "id_subject_hi", "id_subject_en"]
    .map(function (id) { return document.getElementById(id); })
    .filter(function (field) { return field; });
  var none = list.getAttribute("data-none");

  function update() {
    var names = [];
    fields.forEach(function (field) {
      (field.value.match(/\{\w+\}/g) || []).forEach(function (name) {
        if (names.indexOf(name) < 0) { names.push(name); }
      });
    });
    var chips = list.querySelector("[data-chips]");
    chips.textContent = "";
    if (!names.length) { chips.textContent = none; return; }
    names.forEach(function (name) {
      var chip = document.createElement("span");
      chip.className = "chip chip--light";
      chip.textContent = name;
      chips.appendChild(chip);
      chips.appendChild(document.createTextNode(" "));
    });
  }

  fields.forEach(function (field) { field.addEventListener("input", update); });
}());
