// Polls the processing state of media items shown in the admin (listing
// column and edit panel) while they are waiting or processing.
(function () {
  "use strict";
  var BUSY = ["pending", "processing"];
  var INTERVAL = 3000;

  function poll(el) {
    var url = el.getAttribute("data-media-status-url");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        var label = el.querySelector("[data-media-status-label]") || el;
        label.textContent = data.summary;
        label.className = "media-status media-status--" + data.state;
        var bar = el.querySelector("[data-media-progress-bar]");
        if (bar && data.job) bar.value = data.job.progress;
        var pct = el.querySelector("[data-media-progress]");
        if (pct && data.job) pct.textContent = Math.round(data.job.progress);
        var err = el.querySelector("[data-media-error]");
        if (err) { err.textContent = data.error; err.hidden = !data.error; }
        if (BUSY.indexOf(data.state) >= 0) setTimeout(function () { poll(el); }, INTERVAL);
      })
      .catch(function () { setTimeout(function () { poll(el); }, INTERVAL * 3); });
  }

  function start() {
    document.querySelectorAll("[data-media-status-url]").forEach(function (el) {
      var state = el.getAttribute("data-media-state");
      if (!state || BUSY.indexOf(state) >= 0) poll(el);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
