// Review form: show, beside each criterion, that a comment is required while its score is
// under the criterion's threshold. The weighted total itself comes from the server (htmx).
(function () {
  "use strict";

  function refresh(fieldset) {
    var threshold = parseFloat(fieldset.dataset.threshold);
    var select = fieldset.querySelector("select.review-score");
    var hint = fieldset.querySelector(".review-comment-hint");
    var comment = fieldset.querySelector("textarea");
    if (!select || !hint || isNaN(threshold)) {
      return;
    }
    var value = parseFloat(select.value);
    var under = !isNaN(value) && value < threshold;
    hint.classList.toggle("d-none", !under);
    if (comment) {
      if (under) {
        comment.setAttribute("aria-required", "true");
      } else {
        comment.removeAttribute("aria-required");
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("review-form");
    if (!form) {
      return;
    }
    var fieldsets = form.querySelectorAll(".review-criterion");
    fieldsets.forEach(refresh);
    form.addEventListener("change", function (event) {
      var fieldset = event.target.closest(".review-criterion");
      if (fieldset) {
        refresh(fieldset);
      }
    });
  });
})();
