/* Quick exit ("Leave this site"), in the style of GOV.UK's "Exit this page".
 *
 * Without JavaScript the button is a plain link to a neutral page. With it, the
 * button and pressing Shift three times hide this page at once and replace the
 * current history entry, so Back does not return here. Earlier pages of this
 * site stay in the browser's history: no website can remove them (see
 * "Using this site safely"). Loaded from a static file: the CSP allows no
 * inline script.
 */
(function () {
  "use strict";

  var button = document.querySelector("[data-quick-exit-button]");
  if (!button) {
    return;
  }
  var destination = button.href;
  var SHIFT_PRESSES = 3;
  var WITHIN_MS = 5000;
  var presses = 0;
  var timer = null;

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    // Blank the page before the neutral one has loaded.
    document.documentElement.classList.add("quick-exit-leaving");
    document.title = "Loading";
    window.location.replace(destination);
  }

  function forgetPresses() {
    presses = 0;
    window.clearTimeout(timer);
  }

  button.addEventListener("click", leave);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      forgetPresses();
      return;
    }
    if (event.repeat) {
      return;
    }
    presses += 1;
    window.clearTimeout(timer);
    if (presses >= SHIFT_PRESSES) {
      forgetPresses();
      leave();
      return;
    }
    timer = window.setTimeout(forgetPresses, WITHIN_MS);
  });

  // A page restored from the back-forward cache must not stay blank.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.documentElement.classList.remove("quick-exit-leaving");
    }
  });

  var hints = document.querySelectorAll("[data-quick-exit-hint]");
  for (var i = 0; i < hints.length; i += 1) {
    hints[i].hidden = false;
  }
})();
