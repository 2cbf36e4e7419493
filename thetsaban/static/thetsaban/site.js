// Small behaviours for every page, attached here because the Content-Security-Policy allows
// no inline script or event handler attributes.
(function () {
  "use strict";
  // <select data-autosubmit>: submit its form as soon as the choice changes.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) { field.form.submit(); }
  });
  // <button data-print>: open the browser's print dialogue.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
})();
// <details data-open-wide> (the menu, the filters): always open on wide screens; on phones
// folded unless the page was sent open (filters in use).
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 801px)");
  function apply(changed) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      if (wide.matches) { details.open = true; } else if (changed) { details.open = false; }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { apply(false); });
  } else { apply(false); }
  if (wide.addEventListener) { wide.addEventListener("change", function () { apply(true); }); }
})();
// .table-scroll: a table wider than the screen scrolls in its box, which keyboards reach with
// Tab; a box that does not scroll is no tab stop.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) { box.setAttribute("tabindex", "0"); } else { box.removeAttribute("tabindex"); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mark); } else { mark(); }
  window.addEventListener("resize", mark);
})();
