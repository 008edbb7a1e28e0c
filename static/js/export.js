// Export page: poll the job's status every second and update the progress bar, the row count
// and the download button; stops when the export is done or failed. Without JavaScript the page
// shows the status at load time and a refresh link.
(function () {
  "use strict";
  var card = document.querySelector("[data-export-status]");
  if (!card) return;
  var url = card.getAttribute("data-export-status");
  var bar = card.querySelector("[data-export-bar]");
  var label = card.querySelector("[data-export-label]");
  var rows = card.querySelector("[data-export-rows]");
  var error = card.querySelector("[data-export-error]");
  var wait = card.querySelector("[data-export-wait]");

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    label.textContent = data.status_display;
    if (data.rows_total) rows.textContent = "已写 " + data.rows_done + " / " + data.rows_total + " 行";
    if (data.status === "done") {
      window.location.reload();
      return true;
    }
    if (data.status === "failed") {
      error.textContent = data.error;
      error.classList.remove("d-none");
      wait.classList.add("d-none");
      return true;
    }
    return false;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) { if (!show(data)) window.setTimeout(poll, 1000); })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  var ready = card.querySelector("[data-export-ready]");
  if (ready.classList.contains("d-none") && !error.textContent.trim()) window.setTimeout(poll, 500);
})();
