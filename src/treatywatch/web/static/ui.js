/* Keyboard shortcuts for the review queue (no inline scripts: the CSP forbids them).
   j / k move focus between reviewable items; a accepts (confirms), r rejects the focused one.
   Shortcuts are off while typing in a form field. */
(function () {
  "use strict";
  function items() { return Array.prototype.slice.call(document.querySelectorAll(".reviewable")); }
  function current() {
    var active = document.activeElement;
    return active ? active.closest(".reviewable") : null;
  }
  function move(step) {
    var list = items();
    if (!list.length) { return; }
    var at = list.indexOf(current());
    var next = list[Math.max(0, Math.min(list.length - 1, at < 0 ? 0 : at + step))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  function press(key) {
    var item = current();
    if (!item) { return; }
    var button = item.querySelector('button[data-key="' + key + '"]');
    if (button) { button.click(); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) { return; }
    if (!document.querySelector(".queue, .alignments")) { return; }
    if (event.key === "j") { move(1); event.preventDefault(); }
    else if (event.key === "k") { move(-1); event.preventDefault(); }
    else if (event.key === "a" || event.key === "r") { press(event.key); }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var swapped = event.detail && event.detail.elt;
    if (swapped && swapped.classList && swapped.classList.contains("reviewable")) { swapped.focus(); }
  });
})();
