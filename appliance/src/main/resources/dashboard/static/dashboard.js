// The dashboard's own script: confirmations before an action, and the log tail kept at its end.
// Everything else is plain HTML forms and htmx attributes.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
document.addEventListener("htmx:afterSwap", function () {
  var logs = document.getElementById("logs");
  if (logs) {
    logs.scrollTop = logs.scrollHeight;
  }
});
document.addEventListener("change", function (event) {
  if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit") && event.target.form) {
    event.target.form.submit();
  }
});
