// 大字模式 on the public pages: a button in the header makes every text a quarter larger and the
// choice is remembered on this phone (localStorage), so cached pages stay the same for everyone.
(function () {
  "use strict";
  var root = document.documentElement;
  var key = "public-large-text";
  var button = document.querySelector("[data-text-size]");
  function apply(large) {
    root.classList.toggle("public-large", large);
    if (button) {
      button.setAttribute("aria-pressed", large ? "true" : "false");
      button.textContent = large ? button.getAttribute("data-label-normal") : button.getAttribute("data-label-large");
    }
  }
  var stored = false;
  try { stored = window.localStorage.getItem(key) === "1"; } catch (error) { stored = false; }
  apply(stored);
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var large = !root.classList.contains("public-large");
      try { window.localStorage.setItem(key, large ? "1" : "0"); } catch (error) { /* private mode */ }
      apply(large);
    });
  }
})();
