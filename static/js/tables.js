// Phone-first tables: below the small breakpoint every list table is drawn as stacked cards
// (css/portal.css, .table-stack), each cell preceded by its column's heading. The headings are
// copied here from the table's <thead> once, so templates write ordinary tables. A table that
// must stay a grid (the compliance month grid) carries .table-grid.
(function () {
  "use strict";
  document.querySelectorAll("table.table").forEach(function (table) {
    if (table.classList.contains("table-grid") || !table.tHead) {
      return;
    }
    var headings = Array.prototype.map.call(
      table.tHead.rows[table.tHead.rows.length - 1].cells,
      function (cell) { return cell.textContent.trim(); }
    );
    var sections = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) {
      sections.push(table.tFoot);
    }
    sections.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var span = cell.colSpan || 1;
          if (span === 1 && headings[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", headings[column]);
          }
          column += span;
        });
      });
    });
    table.classList.add("table-stack");
  });
})();
