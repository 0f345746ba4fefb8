// Scrolls the cited passage into view. An external file, not inline, so the page can forbid inline script.
(function () {
  "use strict";
  var hit = document.getElementById("hit");
  if (hit) {
    hit.scrollIntoView({ block: "center" });
  }
})();
