// Columns a reader may hide in a wide table (the enforcement list). The picker is shown only where
// this script runs; without it every column shows and the table scrolls. The choice is kept in
// this browser (localStorage) for the next visit.
(function () {
  "use strict";
  var DEFAULT_HIDDEN = ["col-violations", "col-damages", "col-sentence"];

  function stored(key) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key));
      return Array.isArray(value) ? value : null;
    } catch (error) {
      return null;
    }
  }

  function save(key, hidden) {
    try {
      window.localStorage.setItem(key, JSON.stringify(hidden));
    } catch (error) {
      // Private browsing may refuse storage: the choice then lasts for this page only.
    }
  }

  document.querySelectorAll("details.column-picker").forEach(function (picker) {
    var table = document.getElementById(picker.dataset.table);
    if (!table) {
      return;
    }
    var key = "columns-hidden:" + picker.dataset.table;
    var hidden = stored(key) || DEFAULT_HIDDEN.slice();
    var boxes = picker.querySelectorAll('input[type="checkbox"]');

    function apply() {
      boxes.forEach(function (box) {
        table.classList.toggle("hide-" + box.value, hidden.indexOf(box.value) !== -1);
        box.checked = hidden.indexOf(box.value) === -1;
      });
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        hidden = hidden.filter(function (column) { return column !== box.value; });
        if (!box.checked) {
          hidden.push(box.value);
        }
        save(key, hidden);
        apply();
      });
    });
    picker.hidden = false;
    apply();
  });
})();
