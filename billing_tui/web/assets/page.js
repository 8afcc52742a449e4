// Runs before textual.js: the page takes no ?ping= (a fetch of any URL) or ?delay= from its address,
// gives the terminal the keyboard once connected, and the "start again" link once the session ends.
"use strict";
(function () {
  const url = new URL(window.location.href);
  if (url.searchParams.has("ping") || url.searchParams.has("delay")) {
    url.searchParams.delete("ping");
    url.searchParams.delete("delay");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
  if (document.fonts) {  // decode both bundled faces now, while the session starts, not mid-way through its first frame
    ["16px", "italic 16px", "bold 16px"].forEach(function (font) { document.fonts.load(font + ' "Roboto Mono"'); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    const body = document.body;
    new MutationObserver(function () {
      if (body.classList.contains("-closed")) {
        const link = document.querySelector(body.classList.contains("-loaded") ? ".closed-dialog a" : ".busy-dialog a");
        if (link) link.focus();
      } else if (body.classList.contains("-loaded")) {
        const input = document.querySelector(".xterm-helper-textarea");
        if (input && document.activeElement !== input) input.focus();
      }
    }).observe(body, { attributes: true, attributeFilter: ["class"] });
  });
})();
