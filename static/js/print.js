/* Agora print button: the poster and the weekly programme (posts.printing) carry a hidden
 * « Imprimer » button; this script shows it and opens the browser's print dialog on click.
 * A static file, so the Content-Security-Policy needs no inline script. Without JavaScript
 * the page says how to print with the browser's own command (Ctrl + P).
 */
(function () {
  "use strict";

  var buttons = document.querySelectorAll("[data-print]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
