// The map page: a province or a point opens its records in the panel beside the map.
// Without this script every shape is still a link to the same records in the list.
(function () {
  "use strict";
  var map = document.querySelector(".vn-map");
  var panel = document.getElementById("map-panel");
  if (!map || !panel) return;
  var heading = panel.querySelector("h2");
  var body = panel.querySelector(".map-panel-body");
  var selected = null;

  function copyOf(element) {
    var copy = element.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
    return copy;
  }

  function show(link, moveFocus) {
    var targets = link.getAttribute("data-targets").split(" ").map(function (id) {
      return document.getElementById(id);
    }).filter(Boolean);
    if (!targets.length) return false;
    body.textContent = "";
    if (targets[0].classList.contains("map-list-province")) {
      var province = targets[0];
      heading.textContent = province.getAttribute("data-name");
      Array.prototype.forEach.call(province.children, function (child) {
        if (child.tagName !== "H3") body.appendChild(copyOf(child));
      });
      var section = province.querySelector("h3 a");
      if (section) {
        var more = copyOf(section);
        more.className = "map-panel-more";
        more.textContent = panel.getAttribute("data-section-link");
        var paragraph = document.createElement("p");
        paragraph.appendChild(more);
        body.appendChild(paragraph);
      }
    } else {
      heading.textContent = panel.getAttribute("data-point-heading");
      var list = document.createElement("ul");
      list.className = "map-records";
      targets.forEach(function (item) { list.appendChild(copyOf(item)); });
      body.appendChild(list);
    }
    if (selected) selected.classList.remove("is-selected");
    selected = link;
    link.classList.add("is-selected");
    panel.hidden = false;
    if (moveFocus) heading.focus();
    return true;
  }

  map.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-targets]");
    if (link && show(link, true)) event.preventDefault();
  });

  // A link from elsewhere (a record's "see on the map") opens its province here.
  if (location.hash) {
    var from = map.querySelector('a[href="' + location.hash.replace(/"/g, "") + '"]');
    if (from && show(from, false)) document.getElementById("map").scrollIntoView();
  }
})();
