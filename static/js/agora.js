// Agora's only script: start DKFDS's components. No inline scripts anywhere, so a
// strict Content Security Policy (script-src 'self') works.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
});

// After a failed submission, move focus to the error summary so it is read out first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
