/* A light lightbox for the archive's photos: full size, keyboard, swipe, caption and credit.
 *
 * Without it every photo is a plain link to its full-size file. With it the
 * link opens a modal <dialog>: the browser keeps focus inside it (the rest
 * of the page is inert) and Escape closes it; focus then returns to the
 * photo that opened it. Arrow keys and a horizontal swipe go to the
 * previous or next photo of the page.
 */
(function () {
  "use strict";

  var dialog = document.querySelector("dialog.lightbox");
  var links = Array.prototype.slice.call(document.querySelectorAll("a.lightbox-link"));
  if (!dialog || !links.length || typeof dialog.showModal !== "function") return;

  var image = dialog.querySelector(".lightbox-image");
  var text = dialog.querySelector(".lightbox-text");
  var credit = dialog.querySelector(".lightbox-credit");
  var count = dialog.querySelector(".lightbox-count");
  var prev = dialog.querySelector(".lightbox-prev");
  var next = dialog.querySelector(".lightbox-next");
  var close = dialog.querySelector(".lightbox-close");
  var index = 0;
  var opener = null;
  var touchX = null;

  prev.hidden = next.hidden = links.length < 2;

  function show(i) {
    index = (i + links.length) % links.length;
    var link = links[index];
    var thumb = link.querySelector("img");
    image.src = link.getAttribute("href");
    image.alt = thumb ? thumb.alt : "";
    text.textContent = link.getAttribute("data-caption") || "";
    credit.textContent = link.getAttribute("data-credit") || "";
    count.textContent = links.length > 1 ? index + 1 + " / " + links.length : "";
  }

  links.forEach(function (link, i) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      opener = link;
      show(i);
      dialog.showModal();
      close.focus();
    });
  });

  prev.addEventListener("click", function () { show(index - 1); });
  next.addEventListener("click", function () { show(index + 1); });
  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () {
    image.removeAttribute("src");
    if (opener) opener.focus();
  });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { show(index - 1); event.preventDefault(); }
    else if (event.key === "ArrowRight") { show(index + 1); event.preventDefault(); }
    else if (event.key === "Tab") {
      // A modal dialog lets Tab leave for the browser's own controls: keep it in the dialog.
      var buttons = Array.prototype.filter.call(dialog.querySelectorAll("button"), function (b) {
        return !b.hidden;
      });
      var first = buttons[0];
      var last = buttons[buttons.length - 1];
      if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
      else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
    }
  });
  // A click on the backdrop (the dialog itself, outside the picture) closes it.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener("touchstart", function (event) {
    touchX = event.touches.length === 1 ? event.touches[0].clientX : null;
  }, { passive: true });
  dialog.addEventListener("touchend", function (event) {
    if (touchX === null) return;
    var dx = event.changedTouches[0].clientX - touchX;
    touchX = null;
    if (Math.abs(dx) > 40) show(index + (dx < 0 ? 1 : -1));
  });
})();
