// Filters apply as they change: ticking a box, choosing a value or a date submits the filter
// form, so no reader scrolls to the Apply button (kept for readers without JavaScript).
// Empty fields are left out of the address, so a shared link holds only the filters in use.
(function () {
  "use strict";
  var APPLY_ON_CHANGE = 'input[type="checkbox"], input[type="radio"], input[type="date"], select';

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form.filters");
    if (form && event.target.matches(APPLY_ON_CHANGE)) {
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.filters")) {
      return;
    }
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.type !== "checkbox" && field.type !== "radio" && !field.value) {
        field.disabled = true;
      }
    });
    form.classList.add("is-applying");
  });

  // Back to a page left by submitting: its fields are usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.filters").forEach(function (form) {
      form.classList.remove("is-applying");
      Array.prototype.forEach.call(form.elements, function (field) {
        field.disabled = false;
      });
    });
  });
})();
