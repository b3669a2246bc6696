/* "Print this page": a button that only JavaScript can make work, so it is
 * hidden until this script shows it. Without JavaScript the page's own links
 * (the print view or the PDF) do the same job. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
