// import-status.js keeps a running import's status page up to date: it
// asks the server for the progress every second, writes it in place, and
// loads the page again when the import ends, to show the report. Without
// this script the page refreshes itself (a <noscript> meta refresh).
(function () {
  "use strict";

  var root = document.getElementById("import-progress");
  if (!root || !window.fetch) {
    return;
  }
  var text = document.getElementById("import-progress-text");
  var url = root.getAttribute("data-status");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (res) {
        if (!res.ok) {
          throw new Error("status " + res.status);
        }
        return res.json();
      })
      .then(function (s) {
        if (!s.running) {
          window.location.reload();
          return;
        }
        if (text.textContent !== s.text) {
          text.textContent = s.text;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }
  window.setTimeout(poll, 1000);
})();
