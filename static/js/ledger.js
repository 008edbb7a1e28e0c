// Ledger form: show only the deputies stationed at the chosen station (each checkbox carries
// data-station). Deputies of another station are unticked when the station changes, so the form
// never sends them. Without JavaScript every deputy is listed with their station's name.
(function () {
  "use strict";
  var select = document.getElementById("id_station");
  var box = document.querySelector("[data-deputy-choices]");
  if (!select || !box) return;
  var empty = box.querySelector("[data-no-deputies]");

  function filter() {
    var station = select.value;
    var shown = 0;
    box.querySelectorAll("input[data-station]").forEach(function (input) {
      var row = input.closest(".form-check");
      var match = !station || input.getAttribute("data-station") === station;
      row.classList.toggle("d-none", !match);
      if (!match) input.checked = false;
      if (match) shown += 1;
    });
    if (empty) empty.classList.toggle("d-none", shown > 0 || !station);
  }

  select.addEventListener("change", filter);
  filter();
})();
