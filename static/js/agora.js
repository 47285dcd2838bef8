// Agora's only script: start DKFDS's components. No inline scripts anywhere, so a
// strict Content Security Policy (script-src 'self') works.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
});
