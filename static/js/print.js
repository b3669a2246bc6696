/* "Print this page": a button that only JavaScript can make work, so it is
 * hidden until this script shows it. Without JavaScript the page's own links
 * (the print view or the PDF) do the same job. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    // In a list of page tools its item is hidden too, so no empty item is announced.
    var item = button.closest("[data-print-item]");
    if (item) item.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
