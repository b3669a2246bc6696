/* A Copy button beside text to copy: "Cite this"'s reference and link, a
 * feed's address.
 *
 * Without JavaScript both are plain, selectable text. With it, each gets a
 * button that copies its text, and a status message screen readers announce.
 * Where the clipboard is not available (an old browser, a page not served
 * over HTTPS) the text is selected instead, ready for Ctrl+C. Loaded from a
 * static file: the CSP allows no inline script.
 */
(function () {
  "use strict";

  var LABELS = {
    reference: "Copy reference",
    link: "Copy link",
    address: "Copy address",
  };

  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(element, status) {
    var text = element.textContent.replace(/\s+/g, " ").trim();
    var done = function () {
      status.textContent = "Copied.";
    };
    var failed = function () {
      select(element);
      status.textContent = "Selected: press Ctrl+C (or Cmd+C) to copy.";
    };
    status.textContent = "";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  document.querySelectorAll("[data-copy]").forEach(function (element) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cite__copy";
    button.textContent = LABELS[element.getAttribute("data-copy")] || "Copy";
    var status = document.createElement("span");
    status.className = "cite__status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copy(element, status);
    });
    element.insertAdjacentElement("afterend", status);
    element.insertAdjacentElement("afterend", button);
  });
})();
