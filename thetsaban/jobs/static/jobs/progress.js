// A job's status page follows the job: every two seconds it reads the job's API entry and moves
// the progress bar; when the job has finished it reloads, so that the result or the refused rows
// are shown. A file, not inline script: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.getAttribute("data-finished") === "1" || !window.fetch) { return; }
  var url = box.getAttribute("data-job-url");
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-progress-text");
  var statusLabel = document.getElementById("job-status");
  var message = document.getElementById("job-message");
  var delay = 2000;
  function show(job) {
    if (job.total) {
      bar.max = job.total;
      bar.value = job.done;
      text.textContent = job.done + " / " + job.total;
    }
    statusLabel.textContent = job.status_label;
    message.textContent = job.message || "";
    if (job.finished) { window.location.reload(); return; }
    window.setTimeout(poll, delay);
  }
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(show)
      .catch(function () { delay = Math.min(delay * 2, 30000); window.setTimeout(poll, delay); });
  }
  window.setTimeout(poll, delay);
})();
