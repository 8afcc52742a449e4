// Runs before textual.js: the page takes no ?ping= (a fetch of any URL) or ?delay= from its address,
// starts the terminal without waiting for window.onload, gives the terminal the keyboard once connected,
// and the "start again" link once the session ends.
"use strict";
(function () {
  const url = new URL(window.location.href);
  if (url.searchParams.has("ping") || url.searchParams.has("delay")) {
    url.searchParams.delete("ping");
    url.searchParams.delete("delay");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
  // Decode both bundled faces now, while the session starts, not mid-way through its first frame.
  const faces = document.fonts ? ["16px", "italic 16px", "bold 16px"].map(function (font) {
    return document.fonts.load(font + ' "Roboto Mono"').catch(function () { return null; });
  }) : [];
  // textual.js connects in window.onload, which also waits for the favicon and every other load: start it
  // as soon as the page is parsed (its styles applied) and the fonts it measures cells with are ready.
  const parsed = new Promise(function (resolve) { document.addEventListener("DOMContentLoaded", resolve); });
  Object.defineProperty(window, "onload", {
    configurable: true,
    get: function () { return null; },
    set: function (handler) {
      let started = false;
      const start = function (event) { if (!started) { started = true; handler(event); } };
      parsed.then(function () { return Promise.all(faces); }).then(function () { start(new Event("load")); });
      window.addEventListener("load", start);
    },
  });
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
