// The editor's preview: the reader's article page for the form as it is
// on screen, drawn by the server with the published page's own template
// and stylesheet (POST /newsroom/preview), shown in a frame in
// #preview-pane. It is redrawn a moment after typing stops and after each
// save. A form that could not be saved says why in the pane. The frame is
// sandboxed without scripts, forms or pop-ups, so nothing in the preview
// can run or take the editor away. Without this script the action bar's
// Preview button opens the same page in a new tab.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  var pane = document.getElementById("preview-pane");
  if (!form || !pane || !window.fetch || !window.FormData) return;
  // Someone who may only read the article (its form is disabled) may not
  // preview changes to it either: the article page is theirs to read.
  var body = document.getElementById("body");
  if (body && (body.readOnly || body.matches(":disabled"))) return;

  var WAIT = 600; // ms after the last keystroke
  var text = {
    title: pane.getAttribute("data-frame-title") || "Preview of the article as readers will see it",
    failed: pane.getAttribute("data-failed") || "The preview could not be drawn; the text is safe in the editor."
  };

  var note = document.createElement("p");
  note.className = "preview-note";
  note.setAttribute("role", "status");
  note.setAttribute("aria-live", "polite");
  note.hidden = true;
  var frame = document.createElement("iframe");
  frame.id = "preview-frame";
  frame.className = "preview-frame";
  frame.title = text.title;
  // Same origin, so the reader stylesheet loads and the frame's height can
  // be read; no allow-scripts, allow-forms, allow-popups or navigation of
  // the editor.
  frame.setAttribute("sandbox", "allow-same-origin");
  pane.appendChild(note);
  pane.appendChild(frame);

  var timer = null, seq = 0, pending = null, resizer = null;

  // fit keeps the frame as tall as the page inside it, so the editor page
  // scrolls rather than a box within it.
  function fit() {
    try {
      var doc = frame.contentDocument;
      if (!doc || !doc.documentElement) return;
      var h = Math.max(doc.documentElement.scrollHeight, doc.body ? doc.body.scrollHeight : 0);
      if (h > 0) frame.style.height = h + "px";
    } catch (e) { /* a frame that cannot be read keeps its height and scrolls */ }
  }
  frame.addEventListener("load", function () {
    fit();
    try {
      if (resizer) resizer.disconnect();
      if (window.ResizeObserver && frame.contentDocument) {
        resizer = new ResizeObserver(fit); // images and fonts arriving late
        resizer.observe(frame.contentDocument.documentElement);
      }
    } catch (e) { resizer = null; }
  });

  function say(message) {
    note.textContent = message;
    note.hidden = !message;
    pane.classList.toggle("is-stale", !!message);
  }

  // formData is the form as on screen, without files: an image is
  // uploaded by its own form, and the preview needs only its address.
  function formData() {
    var data = new FormData(form);
    var files = [];
    data.forEach(function (v, k) { if (typeof v !== "string") files.push(k); });
    files.forEach(function (k) { data.delete(k); });
    data.delete("action");
    if (!data.get("article_id")) {
      var m = /\/newsroom\/articles\/(\d+)/.exec(form.getAttribute("action") || "");
      data.set("article_id", m ? m[1] : "0");
    }
    return data;
  }

  function refresh() {
    clearTimeout(timer);
    timer = null;
    var mine = ++seq;
    if (pending) pending.abort();
    pending = window.AbortController ? new AbortController() : null;
    var data;
    try { data = formData(); } catch (e) { say(text.failed); return; }
    // In the editor's language, which ?lang= may have chosen.
    var lang = document.documentElement.lang;
    fetch("/newsroom/preview" + (lang ? "?lang=" + encodeURIComponent(lang) : ""), {
      method: "POST", body: data, credentials: "same-origin",
      signal: pending ? pending.signal : undefined
    }).then(function (r) {
      return r.text().then(function (t) { return { status: r.status, text: t }; });
    }).then(function (res) {
      if (mine !== seq) return; // a newer preview is on its way
      if (res.status === 200) {
        say("");
        frame.srcdoc = res.text;
      } else if (res.status === 422) {
        say(res.text.trim());
      } else {
        say(text.failed);
      }
    }).catch(function (e) {
      if (mine === seq && !(e && e.name === "AbortError")) say(text.failed);
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, WAIT);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("editor:saved", refresh);
  refresh();
})();
