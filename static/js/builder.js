// The call builder: focus after errors and after htmx swaps, and the settings of the
// chosen kind of question. No inline script is allowed by the CSP.
(function () {
  "use strict";

  // A form sent back with errors: move focus to its summary, which links to each field.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  }

  // After an up/down move, htmx replaces the list: focus goes back to the moved item's
  // button so the keyboard user can keep moving it.
  function focusAfterSwap(event) {
    var target = event.detail && event.detail.target;
    if (!target) {
      return;
    }
    var scope = document.getElementById(target.id) || target;
    var wanted = scope.querySelector("[data-focus-after-swap]");
    if (wanted) {
      wanted.focus();
    }
  }

  // A question's settings for its kind only (all of them show without JavaScript).
  function showKindSettings(form) {
    var select = document.getElementById(form.dataset.kindField);
    if (!select) {
      return;
    }
    var kind = select.value;
    form.querySelectorAll(".kind-settings").forEach(function (fieldset) {
      var kinds = (fieldset.dataset.kinds || "").split(" ");
      fieldset.hidden = kinds.indexOf(kind) === -1;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    document.querySelectorAll("form[data-kind-field]").forEach(function (form) {
      showKindSettings(form);
      var select = document.getElementById(form.dataset.kindField);
      if (select) {
        select.addEventListener("change", function () {
          showKindSettings(form);
        });
      }
    });
  });
  document.body.addEventListener("htmx:afterSettle", focusAfterSwap);

  // Once the page is being left (a form sent the ordinary way, a link followed), a preview
  // still waiting for its turn is not sent: it would only be cut off on the way.
  var leaving = false;
  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("data-hx-post")) {
      leaving = true;
    }
  }, true);
  window.addEventListener("pagehide", function () {
    leaving = true;
  });
  window.addEventListener("pageshow", function () {
    leaving = false;
  });
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (leaving) {
      event.preventDefault();
    }
  });
})();
