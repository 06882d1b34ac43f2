/* Peoplebase: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Forms marked data-confirm ask before submitting (the server still shows its own confirm
  // pages where an action cannot be undone).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // "Add another" for Django formsets: clone the <template> of an empty row, number it with the
  // formset's TOTAL_FORMS and move focus to its first input.
  function addRow(button) {
    var prefix = button.getAttribute("data-add-row");
    var template = document.getElementById(prefix + "-empty-row");
    var container = document.querySelector('[data-row-set="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !container || !total) { return; }
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    container.appendChild(row);
    total.value = String(index + 1);
    if (window.htmx) { window.htmx.process(row); }
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  }

  function ready() {
    var buttons = document.querySelectorAll("[data-add-row]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { addRow(button); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
