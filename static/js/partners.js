// The partnership's pages. No inline script is allowed by the CSP.
(function () {
  "use strict";

  // After a refused form the summary of what to correct takes the focus, so that keyboard
  // and screen-reader users start there; its links lead to each field.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  });
})();
