/* The archive's media player: adaptive video over HLS, listen only, waveform, transcripts.
 *
 * The page works without it: <video> and <audio> carry the progressive MP4 /
 * AAC and native controls. With it, a video plays its HLS ladder through
 * hls.js wherever the browser has Media Source Extensions (Chromium answers
 * "maybe" for native HLS, so asking canPlayType first would never run
 * hls.js), the browser's own HLS where it has no MSE (iOS), the MP4 last.
 * hls.js (about 120 KB compressed) is fetched on the first play, never with
 * the page. On Save-Data or a 2g/3g connection playback starts at the
 * smallest rung. "Listen only" switches a video to its audio-only rendition
 * and is remembered on this device. Transcript lines follow playback and
 * seek when chosen; "#t=<seconds>" in the address seeks too. A video with a
 * thumbnail track gets a seek bar that previews the moment under the pointer.
 */
(function () {
  "use strict";

  var LISTEN_KEY = "heritage.listenOnly";
  var script = document.currentScript;
  var hlsSrc = script && script.getAttribute("data-hls");
  var hlsLoading = null;

  function loadHls() {
    if (window.Hls) return Promise.resolve(window.Hls);
    if (!hlsLoading) {
      hlsLoading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = hlsSrc;
        tag.onload = function () { resolve(window.Hls); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return hlsLoading;
  }

  function slowConnection(root) {
    if (root.hasAttribute("data-save-data")) return true;
    var c = navigator.connection;
    return !!(c && (c.saveData || /^(slow-2g|2g|3g)$/.test(c.effectiveType || "")));
  }

  function listenOnlyChosen() {
    try { return window.localStorage.getItem(LISTEN_KEY) === "1"; } catch (e) { return false; }
  }

  function rememberListenOnly(on) {
    try {
      if (on) window.localStorage.setItem(LISTEN_KEY, "1");
      else window.localStorage.removeItem(LISTEN_KEY);
    } catch (e) { /* private mode: the choice lasts for this page only */ }
  }

  function hasMse() {
    var ms = window.ManagedMediaSource || window.MediaSource;
    return !!(ms && ms.isTypeSupported && ms.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"'));
  }

  function setupVideo(root) {
    var video = root.querySelector("video");
    var bar = root.querySelector(".player-bar");
    var quality = root.querySelector(".player-quality");
    var select = quality && quality.querySelector("select");
    var listen = root.querySelector(".player-listen");
    var status = root.querySelector(".player-status");
    var hlsUrl = root.getAttribute("data-hls");
    var audioUrl = root.getAttribute("data-audio-only");
    var mp4Url = video.getAttribute("src");
    var slow = slowConnection(root);
    var useHlsJs = !!(hlsUrl && hlsSrc && hasMse());
    var nativeHls = !useHlsJs && hlsUrl && video.canPlayType("application/vnd.apple.mpegurl");
    var hls = null;
    var started = false;
    var listening = !!(audioUrl && listenOnlyChosen());
    var pendingSeek = null;

    if (slow) video.preload = "none";
    // The MP4 stays only as the last resort; the source is chosen on first play.
    if (useHlsJs || nativeHls || listening) {
      video.removeAttribute("src");
      video.load();
    }
    bar.hidden = false;
    if (listen) listen.setAttribute("aria-pressed", String(listening));
    showListening();

    function showListening() {
      root.classList.toggle("is-listening", listening);
      if (status) status.textContent = listening ? status.getAttribute("data-listening") : "";
      if (quality) quality.hidden = listening || !hls || hls.levels.length < 2;
    }

    function fillQuality() {
      if (!select || !hls) return;
      while (select.options.length > 1) select.remove(1);
      hls.levels.forEach(function (level, i) {
        var option = document.createElement("option");
        option.value = String(i);
        option.textContent = (level.height ? level.height + "p" : Math.round(level.bitrate / 1000) + " kbps");
        select.appendChild(option);
      });
      select.value = String(hls.manualLevel === undefined ? -1 : hls.manualLevel);
      showListening();
    }

    function playMp4(at, play) {
      video.src = mp4Url;
      if (at) pendingSeek = at;
      if (play) video.play().catch(function () {});
    }

    function startHls(at, play) {
      // hls.js that does not arrive (blocked, offline) leaves the MP4, which
      // must still start where and as the visitor asked.
      return loadHls().catch(function () { return null; }).then(function (Hls) {
        if (!Hls || !Hls.isSupported()) {
          playMp4(at, play);
          return;
        }
        hls = new Hls({
          // Workers would need blob: scripts, which the site's CSP refuses.
          enableWorker: false,
          startLevel: slow ? 0 : -1,
          capLevelToPlayerSize: !slow,
          startPosition: at || -1
        });
        hls.on(Hls.Events.MANIFEST_PARSED, function () {
          if (slow) hls.nextLevel = 0;
          fillQuality();
          if (play) video.play().catch(function () {});
        });
        hls.on(Hls.Events.ERROR, function (_event, data) {
          if (data.fatal) {
            hls.destroy();
            hls = null;
            video.src = mp4Url;
            showListening();
          }
        });
        hls.loadSource(hlsUrl);
        hls.attachMedia(video);
        root.hls = hls; // for tests and the curious: the running engine
      });
    }

    function stopHls() {
      if (hls) {
        hls.destroy();
        hls = null;
        root.hls = null;
      }
    }

    function useSource(at, play) {
      started = true;
      stopHls();
      if (listening) {
        video.src = audioUrl;
      } else if (useHlsJs) {
        return startHls(at, play);
      } else if (nativeHls) {
        video.src = hlsUrl;
      } else {
        video.src = mp4Url;
      }
      if (at) pendingSeek = at;
      if (play) video.play().catch(function () {});
      return Promise.resolve();
    }

    video.addEventListener("loadedmetadata", function () {
      if (pendingSeek !== null) {
        video.currentTime = pendingSeek;
        pendingSeek = null;
      }
    });

    video.addEventListener("play", function () {
      if (!started) useSource(0, true);
    });

    if (select) {
      select.addEventListener("change", function () {
        if (!hls) return;
        // currentLevel switches at once (buffer flushed); -1 is automatic.
        hls.currentLevel = parseInt(select.value, 10);
      });
    }

    if (listen) {
      listen.addEventListener("click", function () {
        var at = video.currentTime;
        var playing = started && !video.paused;
        listening = !listening;
        rememberListenOnly(listening);
        listen.setAttribute("aria-pressed", String(listening));
        showListening();
        if (started) useSource(at, playing);
      });
    }

    var seekBar = root.querySelector(".player-seek");
    if (seekBar) {
      setupSeekBar(seekBar, video, {
        listening: function () { return listening; },
        seek: function (seconds) {
          // Before the first play there is no source to seek in: the chosen
          // moment starts the video, as a transcript line does.
          if (!started) root.seek(seconds);
          else if (video.readyState > 0) video.currentTime = seconds;
          else pendingSeek = seconds;
        }
      });
    }

    root.seek = function (seconds) {
      if (!started) {
        useSource(seconds, true);
      } else if (video.readyState > 0) {
        video.currentTime = seconds;
        video.play().catch(function () {});
      } else {
        pendingSeek = seconds;
      }
    };
    root.media = video;
  }

  function drawWaveform(canvas, peaks, progress) {
    var ctx = canvas.getContext("2d");
    var w = canvas.width;
    var h = canvas.height;
    var styles = window.getComputedStyle(canvas);
    var played = styles.getPropertyValue("--wave-played").trim() || "#7a1f2b";
    var rest = styles.getPropertyValue("--wave-rest").trim() || "#8a8580";
    ctx.clearRect(0, 0, w, h);
    var step = w / peaks.length;
    for (var i = 0; i < peaks.length; i++) {
      var bar = Math.max(1, peaks[i] * (h - 2));
      ctx.fillStyle = i / peaks.length <= progress ? played : rest;
      ctx.fillRect(i * step, (h - bar) / 2, Math.max(1, step - 0.5), bar);
    }
  }

  function clockOf(seconds) {
    seconds = Math.floor(seconds);
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  /* Our own seek bar under a video: native controls give no hook to show the
   * thumbnail track's tile over their timeline. The track's cues (a small
   * VTT) load on the first touch of the bar or the first play, the sprite
   * only when a preview first shows, so a page that is only read costs none
   * of it. */
  function setupSeekBar(wrap, video, player) {
    var input = wrap.querySelector("input");
    var preview = wrap.querySelector(".seek-preview");
    var tile = preview.querySelector(".seek-tile");
    var label = preview.querySelector(".seek-time");
    var trackEl = video.querySelector('track[kind="metadata"][label="thumbnails"]');
    var tiles = null;
    var held = false;
    // The moment asked for while the cues were still on their way.
    var wanted = null;
    // The moment sought, kept on the bar until the video gets there: a source
    // that is starting reports 0 first.
    var target = null;

    function length() {
      return isFinite(video.duration) && video.duration > 0 ? video.duration : parseFloat(input.max) || 0;
    }

    function readCues() {
      var cues = trackEl.track.cues;
      if (!cues || !cues.length) return;
      tiles = [];
      for (var i = 0; i < cues.length; i++) {
        var url = new URL(cues[i].text.trim(), trackEl.src);
        var xywh = /^#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(url.hash);
        if (!xywh) continue;
        url.hash = "";
        tiles.push({
          end: cues[i].endTime,
          sprite: url.href,
          x: +xywh[1], y: +xywh[2], w: +xywh[3], h: +xywh[4]
        });
      }
      if (!parseFloat(input.max) && tiles.length) input.max = String(tiles[tiles.length - 1].end);
      if (wanted !== null) show(wanted);
    }

    function loadCues() {
      if (!trackEl || trackEl.track.mode !== "disabled") return;
      trackEl.addEventListener("load", readCues, { once: true });
      // "hidden" makes the browser fetch and parse the track without drawing it.
      trackEl.track.mode = "hidden";
      if (trackEl.readyState === 2) readCues();
    }

    function tileAt(seconds) {
      if (!tiles) return null;
      for (var i = 0; i < tiles.length; i++) {
        if (seconds < tiles[i].end) return tiles[i];
      }
      return tiles[tiles.length - 1] || null;
    }

    function show(seconds) {
      var found = tileAt(seconds);
      wanted = seconds;
      if (player.listening() || !found) {
        preview.hidden = true;
        return;
      }
      tile.style.backgroundImage = 'url("' + found.sprite.replace(/"/g, "%22") + '")';
      tile.style.backgroundPosition = -found.x + "px " + -found.y + "px";
      tile.style.width = found.w + "px";
      tile.style.height = found.h + "px";
      label.textContent = clockOf(seconds);
      preview.hidden = false;
      var total = length();
      var width = input.clientWidth;
      var half = preview.offsetWidth / 2;
      var x = total ? (seconds / total) * width : 0;
      preview.style.left = Math.max(half, Math.min(width - half, x)) + "px";
    }

    function hide() {
      wanted = null;
      preview.hidden = true;
    }

    function describe() {
      var now = parseFloat(input.value) || 0;
      input.setAttribute("aria-valuetext", clockOf(now) + " / " + clockOf(length()));
    }

    function follow() {
      var total = length();
      if (total) input.max = String(total);
      var now = video.currentTime || 0;
      if (target !== null && Math.abs(now - target) < 1) target = null;
      if (!held && target === null) input.value = String(now);
      describe();
    }

    function pointerTime(event) {
      var box = input.getBoundingClientRect();
      var at = Math.max(0, Math.min(1, (event.clientX - box.left) / box.width));
      return at * length();
    }

    wrap.hidden = false;
    describe();
    ["pointerenter", "pointerdown", "focus"].forEach(function (type) {
      input.addEventListener(type, loadCues);
    });
    video.addEventListener("play", loadCues);
    video.addEventListener("timeupdate", follow);
    video.addEventListener("seeked", follow);
    video.addEventListener("durationchange", follow);

    input.addEventListener("pointermove", function (event) {
      if (!held) show(pointerTime(event));
    });
    input.addEventListener("pointerleave", function () {
      if (!held) hide();
    });
    input.addEventListener("pointerdown", function () { held = true; });
    // A drag seeks once, where it ends: each step would fetch segments.
    input.addEventListener("input", function () {
      held = true;
      show(parseFloat(input.value));
      describe();
    });
    function seek(seconds) {
      target = seconds;
      player.seek(seconds);
    }

    input.addEventListener("change", function () {
      held = false;
      seek(parseFloat(input.value));
    });
    input.addEventListener("pointerup", function () { held = false; });
    input.addEventListener("blur", hide);
    // The browser's own steps on an "any" range are a hundredth of it: five
    // seconds, like the waveform, is a step a listener hears.
    input.addEventListener("keydown", function (event) {
      var total = length();
      var now = parseFloat(input.value) || 0;
      var to = steppedTime(event.key, now, total);
      if (to === null) return;
      event.preventDefault();
      loadCues();
      to = Math.max(0, Math.min(total || to, to));
      input.value = String(to);
      describe();
      show(to);
      seek(to);
    });
  }

  // Where a key moves a seek control from ``now``: five seconds an arrow, thirty a page
  // (a step a listener hears), or null for any other key.
  function steppedTime(key, now, total) {
    if (key === "ArrowRight" || key === "ArrowUp") return now + 5;
    if (key === "ArrowLeft" || key === "ArrowDown") return now - 5;
    if (key === "PageUp") return now + 30;
    if (key === "PageDown") return now - 30;
    if (key === "Home") return 0;
    if (key === "End") return total;
    return null;
  }

  function setupAudio(root) {
    var audio = root.querySelector("audio");
    var wave = root.querySelector(".waveform");
    root.media = audio;
    root.seek = function (seconds) {
      var go = function () {
        audio.currentTime = seconds;
        audio.play().catch(function () {});
      };
      if (audio.readyState > 0) go();
      else {
        audio.addEventListener("loadedmetadata", go, { once: true });
        audio.load();
      }
    };
    if (!wave) return;
    var canvas = wave.querySelector("canvas");
    var peaks = null;
    var duration = parseFloat(wave.getAttribute("aria-valuemax")) || 0;
    function length() { return audio.duration || duration; }
    function redraw() {
      if (!peaks) return;
      var total = length();
      var now = audio.currentTime || 0;
      drawWaveform(canvas, peaks, total ? now / total : 0);
      wave.setAttribute("aria-valuenow", String(Math.round(now)));
      wave.setAttribute("aria-valuetext", clockOf(now));
    }
    fetch(root.getAttribute("data-waveform"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        peaks = data.peaks || [];
        duration = data.duration || duration;
        wave.setAttribute("aria-valuemax", String(Math.round(duration)));
        wave.hidden = false;
        redraw();
      })
      .catch(function () { wave.remove(); });
    audio.addEventListener("timeupdate", redraw);
    audio.addEventListener("seeked", redraw);
    wave.addEventListener("click", function (event) {
      var box = canvas.getBoundingClientRect();
      root.seek(((event.clientX - box.left) / box.width) * length());
    });
    wave.addEventListener("keydown", function (event) {
      var total = length();
      var now = audio.currentTime || 0;
      var to = steppedTime(event.key, now, total);
      if (to === null) return;
      event.preventDefault();
      root.seek(Math.max(0, Math.min(total || to, to)));
    });
  }

  function setupTranscript(layout) {
    var player = layout.querySelector("[data-player]");
    var lines = layout.querySelectorAll(".transcript-lines a");
    if (!player || !lines.length || !player.media) return;
    var current = null;
    lines.forEach(function (line) {
      line.addEventListener("click", function (event) {
        event.preventDefault();
        if (window.history.replaceState) window.history.replaceState(null, "", line.getAttribute("href"));
        player.seek(parseFloat(line.getAttribute("data-start")));
      });
    });
    player.media.addEventListener("timeupdate", function () {
      var now = player.media.currentTime;
      var found = null;
      for (var i = 0; i < lines.length; i++) {
        if (now >= parseFloat(lines[i].getAttribute("data-start")) &&
            now < parseFloat(lines[i].getAttribute("data-end"))) {
          found = lines[i];
          break;
        }
      }
      if (found === current) return;
      if (current) current.removeAttribute("aria-current");
      current = found;
      if (found) {
        found.setAttribute("aria-current", "true");
        var list = found.closest(".transcript-lines");
        // Scroll the list, never the page: the visitor may be reading elsewhere.
        list.scrollTop = found.offsetTop - list.offsetTop - list.clientHeight / 3;
      }
    });
  }

  function seekFromHash() {
    var match = /(?:^#|&)t=(\d+(?:\.\d+)?)/.exec(window.location.hash);
    if (!match) return;
    var seconds = parseFloat(match[1]);
    var players = document.querySelectorAll("[data-player]");
    if (!players.length) return;
    // The player whose transcript has this moment, else the first one.
    var target = players[0];
    for (var i = 0; i < players.length; i++) {
      var layout = players[i].closest(".player-layout");
      if (layout && layout.querySelector('.transcript-lines a[data-start="' + match[1] + '"]')) {
        target = players[i];
        break;
      }
    }
    if (target.seek) {
      target.seek(seconds);
      if (target.scrollIntoView) target.scrollIntoView({ block: "center" });
    }
  }

  document.querySelectorAll("[data-player=video]").forEach(setupVideo);
  document.querySelectorAll("[data-player=audio]").forEach(setupAudio);
  document.querySelectorAll(".player-layout").forEach(setupTranscript);
  window.addEventListener("hashchange", seekFromHash);
  seekFromHash();
})();
