// Keeps "closes in 3 days, 4 hours" current while the page stays open, in the page's language.
// When the moment passes, the page reloads so the server shows the new state of the call.
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";

  function unit(name, value) {
    return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
  }

  function describe(ms) {
    var seconds = Math.max(Math.floor(ms / 1000), 0);
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var parts = [];
    if (days) { parts.push(unit("day", days)); }
    if (hours && parts.length < 2) { parts.push(unit("hour", hours)); }
    if (minutes && parts.length < 2 && !days) { parts.push(unit("minute", minutes)); }
    if (!parts.length) { parts.push(unit("minute", 1)); }
    return parts.join(", ");
  }

  function refresh() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown-until]").forEach(function (element) {
      var until = Date.parse(element.getAttribute("data-countdown-until"));
      if (isNaN(until)) { return; }
      if (until <= now) {
        window.location.reload();
        return;
      }
      var value = element.querySelector(".countdown-value");
      if (value) { value.textContent = describe(until - now); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector("[data-countdown-until]") || !window.Intl || !Intl.NumberFormat) { return; }
    window.setInterval(refresh, 30000);
  });
})();
