// The article editor: a Markdown toolbar, a live preview drawn by the
// server with the article page's own code, autosave of existing articles
// and a warning before leaving with unsaved changes. Without this script
// the form still works: Save and Preview are plain form buttons.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  var body = document.getElementById("body");
  if (!form || !body) return;
  var preview = document.getElementById("preview");
  var status = document.getElementById("autosave-status");
  var csrf = form.querySelector('input[name="csrf"]').value;
  var version = form.querySelector('input[name="version"]');
  var isNew = /\/new(\?|$)/.test(form.getAttribute("action"));
  var dirty = false, submitting = false, clashed = false;

  // Toolbar: wrap the selection, or start the current line, with Markdown.
  var toolbar = form.querySelector(".editor-toolbar");
  if (toolbar) {
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-md]");
      if (!b) return;
      var md = b.getAttribute("data-md");
      var s = body.selectionStart, t = body.selectionEnd, v = body.value;
      var sel = v.slice(s, t), out;
      if (md === "link") {
        out = "[" + (sel || "text") + "](https://)";
      } else if (b.hasAttribute("data-line")) {
        var start = v.lastIndexOf("\n", s - 1) + 1;
        body.value = v.slice(0, start) + md + v.slice(start);
        body.setSelectionRange(s + md.length, t + md.length);
        changed();
        body.focus();
        return;
      } else {
        out = md + (sel || "") + md;
      }
      body.value = v.slice(0, s) + out + v.slice(t);
      body.setSelectionRange(s + out.length, s + out.length);
      changed();
      body.focus();
    });
  }

  var previewTimer = null;
  function refreshPreview() {
    var data = new URLSearchParams();
    data.set("csrf", csrf);
    data.set("body", body.value);
    fetch("/newsroom/preview", { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) {
        // A body that cannot be saved says why in the preview.
        if (r.status === 422) return r.text().then(function (t) { if (preview) preview.textContent = t; return null; });
        return r.ok ? r.text() : null;
      })
      .then(function (html) { if (html !== null && preview) preview.innerHTML = html; })
      .catch(function () {});
  }

  function changed() {
    dirty = true;
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 400);
  }
  form.addEventListener("input", changed);
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (e) {
    if (dirty && !submitting) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  if (body.value && preview && !preview.innerHTML.trim()) refreshPreview();

  // Autosave: an existing article is saved every 20 seconds while it has
  // changes, as a normal save (a revision is kept) that never overwrites
  // someone else's: a clash stops autosaving and says so.
  function autosave() {
    if (!dirty || isNew || clashed || submitting) return;
    var data = new FormData(form);
    data.set("action", "save");
    dirty = false;
    fetch(form.getAttribute("action"), {
      method: "POST", body: new URLSearchParams(data), credentials: "same-origin",
      headers: { "X-Autosave": "1" }
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, code: r.status, j: j }; });
    }).then(function (res) {
      if (status) status.textContent = res.j.message || "";
      if (res.ok && res.j.version) {
        version.value = res.j.version;
        document.querySelectorAll('.editor-workflow input[name="version"]').forEach(function (el) { el.value = res.j.version; });
      } else {
        dirty = true;
        if (res.code === 409) clashed = true;
      }
    }).catch(function () { dirty = true; });
  }
  setInterval(autosave, 20000);
})();
