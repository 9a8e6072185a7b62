// Small behaviours shared by every page; no inline script is allowed by the CSP.
(function () {
  "use strict";

  // A table wider than its box scrolls sideways: keyboard users reach it with Tab and
  // scroll it with the arrow keys, and screen readers hear what it holds.
  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var section = box.closest("section, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : "";
  }

  function reachScrollingTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-responsive"), function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOf(box));
        box.dataset.scrollReachable = "";
      } else if (!scrolls && box.hasAttribute("data-scroll-reachable")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("data-scroll-reachable");
      }
    });
  }

  function start() {
    reachScrollingTables();
    window.addEventListener("resize", reachScrollingTables);

    // A page answering a refused form moves the focus to its summary of what went wrong.
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }

    // A link of an error summary puts the focus in the field it names, not only the view.
    document.addEventListener("click", function (event) {
      var link = event.target.closest(".error-summary a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      var field = target.matches("input, select, textarea") ? target :
        target.querySelector("input:not([type=hidden]), select, textarea");
      if (!field) { return; }
      event.preventDefault();
      field.focus();
      window.history.replaceState(null, "", link.getAttribute("href"));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
