// Equo's page behaviour, loaded after Bootstrap Italia and htmx. No inline scripts: the Content
// Security Policy allows only files served by Equo itself.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A header form that changes the active ente submits as soon as an ente is chosen.
  var scelta = document.getElementById("ente-attivo");
  if (scelta && scelta.form) {
    scelta.addEventListener("change", function () { scelta.form.submit(); });
  }
});
