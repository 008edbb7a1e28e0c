// Adds a row to a Django formset: a button with data-formset-add="<prefix>" clones the
// <template id="<prefix>-empty"> (the formset's empty_form) into #<prefix>-rows.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    event.preventDefault();
    var prefix = button.getAttribute("data-formset-add");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var count = parseInt(total.value, 10);
    if (max && count >= parseInt(max.value, 10)) return;
    var template = document.getElementById(prefix + "-empty");
    var html = template.innerHTML.replace(/__prefix__/g, String(count));
    document.getElementById(prefix + "-rows").insertAdjacentHTML("beforeend", html);
    total.value = String(count + 1);
    var rows = document.getElementById(prefix + "-rows").children;
    var first = rows[rows.length - 1].querySelector("input, textarea, select");
    if (first) first.focus();
  });
})();
