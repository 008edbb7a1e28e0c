// Searchable pickers (core.widgets.SearchPicker): a <select data-picker-source> holding only the
// chosen options becomes chips for the choices and a search box; typing a name, its pinyin or
// its initials asks the scoped source and lists the matches with what tells namesakes apart.
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function setUp(select) {
    var multiple = select.multiple;
    var box = el("div", "picker");
    var chips = el("div", "picker-chips");
    var input = el("input", "form-control picker-input");
    var results = el("ul", "list-group picker-results");
    input.type = "search";
    input.autocomplete = "off";
    input.placeholder = select.getAttribute("data-placeholder") || "输入姓名、拼音或首字母查找";
    if (select.id) {
      input.id = select.id + "_search";
      var label = document.querySelector('label[for="' + select.id + '"]');
      if (label) label.setAttribute("for", input.id);
    }
    input.setAttribute("aria-autocomplete", "list");
    select.hidden = true;
    select.parentNode.insertBefore(box, select);
    box.appendChild(chips);
    box.appendChild(input);
    box.appendChild(results);

    function drawChips() {
      chips.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected) return;
        var chip = el("span", "badge text-bg-light border picker-chip", option.textContent);
        var remove = el("button", "btn-close btn-close-sm ms-1");
        remove.type = "button";
        remove.setAttribute("aria-label", "移除 " + option.textContent);
        remove.addEventListener("click", function () {
          option.remove();
          drawChips();
          changed();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }

    function choose(item) {
      if (!multiple) {
        select.textContent = "";
      }
      var existing = select.querySelector('option[value="' + item.id + '"]');
      if (!existing) {
        var option = new Option(item.label, item.id, true, true);
        select.appendChild(option);
      } else {
        existing.selected = true;
      }
      input.value = "";
      results.textContent = "";
      drawChips();
      changed();
      input.focus();
    }

    // Scripts that follow the field (js/ledger.js follows the station) hear the choice.
    function changed() {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (!query) {
        results.textContent = "";
        return;
      }
      timer = setTimeout(function () {
        asked = query;
        var source = select.getAttribute("data-picker-source");
        var joiner = source.indexOf("?") < 0 ? "?" : "&";
        fetch(source + joiner + "q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            if (asked !== query) return;
            results.textContent = "";
            if (!data.results.length) {
              results.appendChild(el("li", "list-group-item text-muted small", "没有找到"));
            }
            data.results.forEach(function (item) {
              var entry = el("li", "list-group-item list-group-item-action picker-result");
              entry.tabIndex = 0;
              entry.setAttribute("role", "option");
              entry.appendChild(el("span", "", item.label));
              if (item.detail) entry.appendChild(el("span", "small text-muted ms-2", item.detail));
              entry.addEventListener("click", function () { choose(item); });
              entry.addEventListener("keydown", function (event) {
                if (event.key === "Enter") {
                  event.preventDefault();
                  choose(item);
                }
              });
              results.appendChild(entry);
            });
          });
      }, 200);
    });
    drawChips();
  }

  document.querySelectorAll("select[data-picker-source]").forEach(setUp);
})();
