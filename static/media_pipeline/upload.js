// "Upload media" page: chunked, resumable uploads with tus-js-client (shipped
// in static/media_pipeline/vendor, no CDN).  Earlier uploads of the same file
// are found in localStorage and resumed from the server's offset.
// Wagtail's admin loads page scripts in <head>: wait for the form to exist.
function initMediaUpload() {
  "use strict";
  var form = document.getElementById("media-upload-form");
  if (!form || !window.tus) return;
  var strings = JSON.parse(document.getElementById("media-upload-strings").textContent);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var list = document.getElementById("media-upload-list");
  var rowTemplate = document.getElementById("media-upload-row");
  var maxBytes = parseInt(form.dataset.maxBytes, 10);

  // After the last byte the server checks (SHA-256) and stores the file in
  // the background: poll its phase and show the bytes hashed on the bar.
  var FINISHED = { queued: true, done: true, failed: true };
  var POLL_MS = 1000;

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toLocaleString(document.documentElement.lang || undefined,
      { maximumFractionDigits: 1 }) + " MB";
  }

  function showPhase(row, data) {
    var bar = row.querySelector("progress");
    var status = row.querySelector("[data-status]");
    if (data.phase === "hashing" || data.phase === "storing") {
      bar.value = data.length ? (data.hashed_bytes / data.length) * 100 : 100;
      status.textContent = data.phase_label + ": " + megabytes(data.hashed_bytes) + " / " +
        megabytes(data.length) + " (" + Math.floor(bar.value) + " %)";
    } else {
      status.textContent = data.phase_label;
    }
  }

  // Once stored, the item waits for the worker: follow its processing until it is ready or failed.
  var SETTLED = { ready: true, failed: true };

  function showAsset(row, asset, lead) {
    var status = row.querySelector("[data-status]");
    row.dataset.state = asset.state;
    status.textContent = lead + " ";
    var link = document.createElement("a");
    link.href = asset.edit_url;
    link.textContent = row.dataset.duplicate ? asset.title : strings.open;
    status.appendChild(link);
    if (!SETTLED[asset.state]) {
      window.setTimeout(function () { followAsset(row, asset.status_url); }, POLL_MS);
    }
  }

  function followAsset(row, url) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (asset) { showAsset(row, asset, asset.summary + ":"); })
      .catch(function () { window.setTimeout(function () { followAsset(row, url); }, POLL_MS * 5); });
  }

  function showResult(row, data) {
    var status = row.querySelector("[data-status]");
    row.querySelector("progress").value = 100;
    if (!data.asset) { status.textContent = data.error || strings.failed; return; }
    if (data.duplicate) row.dataset.duplicate = "";
    showAsset(row, data.asset, data.duplicate ? strings.duplicate : data.phase_label + ":");
  }

  function follow(row, url) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        row.dataset.phase = data.phase;
        if (FINISHED[data.phase]) { showResult(row, data); return; }
        showPhase(row, data);
        window.setTimeout(function () { follow(row, url); }, POLL_MS);
      })
      .catch(function () { window.setTimeout(function () { follow(row, url); }, POLL_MS * 5); });
  }

  function start(file) {
    var row = rowTemplate.content.firstElementChild.cloneNode(true);
    row.querySelector("[data-name]").textContent = file.name;
    var bar = row.querySelector("progress");
    var status = row.querySelector("[data-status]");
    var pause = row.querySelector("[data-pause]");
    list.appendChild(row);
    if (file.size > maxBytes) { status.textContent = strings.tooLarge; pause.hidden = true; return; }
    status.textContent = strings.waiting;
    var upload = new tus.Upload(file, {
      endpoint: form.dataset.endpoint,
      chunkSize: parseInt(form.dataset.chunkSize, 10),
      retryDelays: [0, 3000, 10000, 30000, 60000],
      removeFingerprintOnSuccess: true,
      headers: { "X-CSRFToken": csrf },
      metadata: {
        filename: file.name,
        filetype: file.type,
        collection: form.elements.collection ? form.elements.collection.value : "",
        record: form.elements.record.value
      },
      onProgress: function (sent, total) {
        bar.value = total ? (sent / total) * 100 : 0;
        status.textContent = strings.uploading + " " + Math.floor(bar.value) + " %";
      },
      onError: function (error) {
        status.textContent = (error.originalResponse && error.originalResponse.getStatus() === 413)
          ? strings.tooLarge : strings.failed;
      },
      onSuccess: function () { pause.hidden = true; bar.value = 0; follow(row, upload.url); }
    });
    var running = true;
    pause.addEventListener("click", function () {
      if (running) { upload.abort(); status.textContent = strings.paused; pause.textContent = strings.resume; }
      else { upload.start(); pause.textContent = strings.pause; }
      running = !running;
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  form.elements.files.addEventListener("change", function (event) {
    Array.prototype.forEach.call(event.target.files, start);
    event.target.value = "";
  });
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initMediaUpload);
else initMediaUpload();
