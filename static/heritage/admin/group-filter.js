// The ethnic-group checkboxes of the record form: a filter box that matches
// names and other names without diacritics (as heritage.widgets folds them
// into data-names), with the checked groups kept first.
(function () {
  "use strict";

  function fold(text) {
    return text
      .normalize("NFD")
      .toLowerCase()
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[đð]/g, "d")
      .replace(/(\w)['’ʼ](?=\w)/g, "$1")
      .replace(/\s+/g, " ")
      .trim();
  }

  function setUp(picker) {
    if (picker.dataset.groupPickerReady) return;
    picker.dataset.groupPickerReady = "1";
    var filter = picker.querySelector("[data-group-picker-filter]");
    var none = picker.querySelector("[data-group-picker-none]");
    var options = Array.prototype.slice.call(picker.querySelectorAll("input[type=checkbox][data-names]"));
    var items = options.map(function (box) {
      return box.closest("div") || box.parentElement;
    });
    var list = items.length ? items[0].parentElement : null;

    function checkedFirst() {
      var checked = [];
      var others = [];
      options.forEach(function (box, i) {
        (box.checked ? checked : others).push(items[i]);
      });
      checked.concat(others).forEach(function (item) {
        list.appendChild(item);
      });
    }

    function apply() {
      var words = fold(filter.value).split(" ").filter(Boolean);
      var shown = 0;
      options.forEach(function (box, i) {
        var names = box.dataset.names.split("|");
        var match =
          box.checked ||
          words.every(function (word) {
            return names.some(function (name) {
              return name.indexOf(word) !== -1;
            });
          });
        items[i].hidden = !match;
        if (match) shown += 1;
      });
      none.hidden = shown > 0;
    }

    if (list) checkedFirst();
    filter.addEventListener("input", apply);
    filter.addEventListener("keydown", function (event) {
      // Enter in the box must not submit the record form.
      if (event.key === "Enter") event.preventDefault();
    });
  }

  function setUpAll() {
    document.querySelectorAll("[data-group-picker]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
