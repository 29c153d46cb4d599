// The article editor: a Markdown toolbar, autosave from the first
// keystroke (it creates a new article's draft), a copy of the form in this
// browser's localStorage offered back after a crash or a closed tab, the
// preview pane's toggle on narrow screens, and a warning before leaving
// with unsaved changes. Without this script the form still works: Save,
// Preview and every workflow step are plain buttons of the one form.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  var body = document.getElementById("body");
  if (!form || !body) return;
  var statusEl = document.getElementById("autosave-status");
  var live = document.getElementById("editor-live");
  var headline = document.getElementById("headline");
  var idField = form.querySelector('input[name="article_id"]');
  var versionField = form.querySelector('input[name="version"]');
  var canEdit = !!form.querySelector('button[name="action"][value="save"]');
  var key = "broadsheet:editor:" + form.getAttribute("data-key");
  // A published article is not autosaved: every pause in typing would put
  // half-written text on the reader's page. Its edits wait for Save (and
  // are kept in the local copy meanwhile).
  var published = form.getAttribute("data-status") === "published";

  var dirty = false;      // edits not yet sent
  var edits = 0;          // counts inputs, to tell whether a save carried the latest
  var submitting = false; // the page is being left through one of its own forms
  var clashed = false;    // someone else saved: autosave stops until the page is reloaded
  var inFlight = null;    // the autosave on its way, so that there is never more than one
  var debounceTimer = null, maxTimer = null;

  function msg(name) { return form.getAttribute("data-msg-" + name) || ""; }
  function setStatus(text) { if (statusEl) statusEl.textContent = text; }
  function announce(text) { if (live) live.textContent = text; }
  function isNew() { return !idField || idField.value === "0" || idField.value === ""; }
  function changed(el) { el.dispatchEvent(new Event("input", { bubbles: true })); }

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
        changed(body);
        body.focus();
        return;
      } else {
        out = md + (sel || "") + md;
      }
      body.value = v.slice(0, s) + out + v.slice(t);
      body.setSelectionRange(s + out.length, s + out.length);
      changed(body);
      body.focus();
    });
  }

  // The form's fields as [name, value] pairs, without the file (it cannot
  // be kept in localStorage) and without what the server gives the page.
  var notText = { csrf: 1, article_id: 1, version: 1, action: 1, lead_image_file: 1 };
  function keeps(el) {
    return el.name && !notText[el.name] && el.type !== "file" && el.type !== "submit" && el.type !== "button";
  }
  function fields() {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!keeps(el) || (el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      out.push([el.name, el.value]);
    });
    return out;
  }
  function fill(list) {
    var byName = {};
    list.forEach(function (p) { (byName[p[0]] = byName[p[0]] || []).push(p[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!keeps(el)) return;
      var vals = byName[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        var on = vals.indexOf(el.value) >= 0;
        if (el.checked === on) return;
        el.checked = on;
      } else {
        if (!vals.length || el.value === vals[0]) return;
        el.value = vals.shift();
      }
      changed(el);
    });
  }

  // The local copy: written on every input (at most every 300 ms, and at
  // once when the page is hidden), so that a crash or a closed tab loses
  // almost nothing; dropped once a save has the same text.
  var copyTimer = null, lastCopy = 0;
  function writeCopy() {
    clearTimeout(copyTimer);
    copyTimer = null;
    lastCopy = Date.now();
    try {
      localStorage.setItem(key, JSON.stringify({ fields: fields(), version: Number(versionField.value) || 0, at: lastCopy }));
    } catch (e) { /* storage full or turned off: autosave still runs */ }
  }
  function keepCopy() {
    if (Date.now() - lastCopy >= 300) writeCopy();
    else if (!copyTimer) copyTimer = setTimeout(writeCopy, 300);
  }
  function dropCopy() {
    clearTimeout(copyTimer);
    copyTimer = null;
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }
  function moveCopy(from, to) {
    try {
      var raw = localStorage.getItem(from);
      localStorage.removeItem(from);
      if (raw) localStorage.setItem(to, raw);
    } catch (e) { /* nothing kept */ }
  }

  // On load, a copy that differs from the page is offered back; one the
  // page already shows is dropped. A copy that differs is never dropped
  // unasked, even one typed on an older version than the page's: it may
  // be the only copy of what was typed (an autosave whose answer never
  // came while more was typed, then someone else saved). The offer says
  // so, and asks to compare first. The version tells "older", not the
  // clock: the browser's and the server's clocks need not agree.
  function offerCopy() {
    var copy = null;
    try { copy = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { copy = null; }
    if (!copy || !copy.fields) return;
    var pageVersion = Number(versionField.value) || 0;
    if (JSON.stringify(copy.fields) === JSON.stringify(fields())) {
      dropCopy();
      return;
    }
    var box = document.getElementById("editor-restore");
    if (!box) return;
    var p = document.createElement("p");
    var when = new Date(copy.at);
    try {
      when = when.toLocaleString(document.documentElement.lang || undefined,
        { dateStyle: "long", timeStyle: "short", timeZone: form.getAttribute("data-tz") || undefined });
    } catch (e) { when = when.toLocaleString(); } // a zone the browser does not know
    p.textContent = msg("restore").replace("{time}", when) + " ";
    if (copy.version < pageVersion) {
      p.textContent += msg("restore-older").replace("{mine}", String(copy.version)).replace("{theirs}", String(pageVersion)) + " ";
    }
    var restore = document.createElement("button"), discard = document.createElement("button");
    restore.type = discard.type = "button";
    restore.id = "editor-restore-button";
    discard.id = "editor-discard-button";
    discard.className = "secondary";
    restore.textContent = msg("restore-button");
    discard.textContent = msg("discard");
    restore.addEventListener("click", function () {
      box.hidden = true;
      fill(copy.fields);
      announce(msg("restored"));
      (headline || body).focus();
    });
    discard.addEventListener("click", function () {
      box.hidden = true;
      dropCopy();
    });
    p.appendChild(restore);
    p.appendChild(document.createTextNode(" "));
    p.appendChild(discard);
    box.appendChild(p);
    box.hidden = false;
  }

  // Autosave: about two seconds after typing stops, and at least every
  // twenty seconds while it goes on. A new article waits for its headline
  // and its text: the article service refuses a draft without either, and
  // a made-up headline would end up in everyone's list. Until then the
  // local copy keeps what is typed.
  function ready() {
    return !isNew() || headline && headline.value.trim() !== "" && body.value.trim() !== "";
  }
  function scheduleSave() {
    clearTimeout(debounceTimer);
    debounceTimer = setTimeout(autosave, 2000);
    if (!maxTimer) maxTimer = setTimeout(autosave, 20000);
  }
  function stopTimers() {
    clearTimeout(debounceTimer);
    clearTimeout(maxTimer);
    debounceTimer = maxTimer = null;
  }

  // autosave sends the form (without the file) and resolves to whether
  // everything typed so far is saved.
  function autosave() {
    stopTimers();
    if (inFlight) return inFlight.then(function () { return dirty ? autosave() : true; });
    if (!dirty) return Promise.resolve(true);
    if (clashed || submitting || !canEdit || published) return Promise.resolve(false);
    if (!ready()) {
      setStatus(msg("waiting"));
      return Promise.resolve(false);
    }
    var data = new FormData(form);
    data.delete("lead_image_file");
    data.set("action", "save");
    var started = edits;
    dirty = false;
    setStatus(msg("saving"));
    inFlight = fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Autosave": "1", "Accept": "application/json" }
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, code: r.status, j: j }; });
    }).then(function (res) {
      setStatus(res.j.message || "");
      if (res.ok && res.j.version) {
        adopt(res.j);
        if (edits === started) dropCopy(); else writeCopy();
        form.dispatchEvent(new CustomEvent("editor:saved", { detail: { id: Number(idField.value), version: res.j.version } }));
        return true;
      }
      dirty = true;
      if (res.code === 409) showClash();
      return false;
    }).catch(function () {
      dirty = true;
      setStatus(msg("offline"));
      if (!maxTimer) maxTimer = setTimeout(autosave, 20000);
      return false;
    }).then(function (ok) {
      inFlight = null;
      if (ok && dirty) scheduleSave();
      return ok && !dirty;
    });
    return inFlight;
  }

  // adopt takes the saved version into every form of the page; the first
  // save of a new article also gives it its id and address.
  function adopt(j) {
    document.querySelectorAll('input[name="version"]').forEach(function (el) { el.value = j.version; });
    var shown = document.getElementById("editor-version");
    if (shown) shown.textContent = shown.textContent.replace(/\d+/, String(j.version));
    if (isNew() && j.id) {
      var from = key;
      idField.value = j.id;
      key = "broadsheet:editor:" + j.id;
      moveCopy(from, key);
      form.setAttribute("data-key", String(j.id));
      form.setAttribute("action", j.url);
      form.querySelectorAll("button[formaction]").forEach(function (b) {
        b.setAttribute("formaction", b.getAttribute("formaction").replace("/newsroom/articles/new/", "/newsroom/articles/" + j.id + "/"));
      });
      history.replaceState(null, "", j.url);
    }
  }

  // A clash stops autosave; saving the form by hand shows the differences.
  function showClash() {
    clashed = true;
    setStatus(msg("clash"));
    if (document.getElementById("editor-show-diff")) return;
    var b = document.createElement("button");
    b.type = "submit";
    b.name = "action";
    b.value = "save";
    b.id = "editor-show-diff";
    b.className = "secondary";
    b.textContent = msg("show-diff");
    statusEl.parentNode.appendChild(document.createTextNode(" "));
    statusEl.parentNode.appendChild(b);
  }

  form.addEventListener("input", function (e) {
    if (e.target && e.target.type === "file") return;
    if (!dirty && !inFlight) setStatus(msg(published ? "unsaved-published" : "unsaved"));
    dirty = true;
    edits++;
    keepCopy();
    if (!clashed && !published) scheduleSave();
  });

  // The form's own buttons send what is on screen. An autosave on its way
  // is waited for, or the step would carry the version before it and
  // clash with our own save.
  form.addEventListener("submit", function (e) {
    var b = e.submitter;
    if (b && b.getAttribute("formtarget") === "_blank") return; // opens another tab: this page stays
    if (inFlight) {
      e.preventDefault();
      inFlight.then(function () { form.requestSubmit(b); });
      return;
    }
    stopTimers();
    if (dirty) writeCopy(); // kept until a page from the server shows the text saved
    submitting = true;
  });

  // Unpublishing and corrections are forms of their own: they carry no
  // text, so the edits are saved first, or the editor is asked. On a
  // published article saving first would publish the edits, so the
  // editor is asked instead; the edits stay in the form and the copy.
  ["unpublish-form", "correction-form"].forEach(function (id) {
    var f = document.getElementById(id);
    if (!f) return;
    f.addEventListener("submit", function (e) {
      if (!dirty && !inFlight) {
        submitting = true;
        return;
      }
      if (published) {
        writeCopy();
        if (window.confirm(msg("step-without-edits"))) submitting = true;
        else e.preventDefault();
        return;
      }
      e.preventDefault();
      autosave().then(function (saved) {
        if (saved || window.confirm(msg("save-first-failed"))) {
          submitting = true;
          f.submit();
        }
      });
    });
  });

  window.addEventListener("beforeunload", function (e) {
    if ((dirty || inFlight) && !submitting) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  window.addEventListener("pagehide", function () { if (copyTimer) writeCopy(); });

  // The preview pane sits beside the text on wide screens; on narrow ones
  // the bar's Preview button shows and hides it. Without this script the
  // button opens the preview in a new tab.
  var toggle = document.getElementById("preview-toggle");
  var pane = document.getElementById("preview-pane");
  if (toggle && pane) {
    toggle.type = "button";
    toggle.removeAttribute("formaction");
    toggle.removeAttribute("formtarget");
    form.classList.add("has-preview-toggle");
    var show = function (on) {
      pane.classList.toggle("is-open", on);
      toggle.setAttribute("aria-expanded", on ? "true" : "false");
      toggle.textContent = on ? msg("hide-preview") : msg("show-preview");
    };
    show(false);
    toggle.addEventListener("click", function () { show(!pane.classList.contains("is-open")); });
  }

  // The lead image's preview follows its address, and shows a chosen file
  // before it is uploaded.
  var leadPreview = document.getElementById("lead-image-preview");
  var imageURL = document.getElementById("image_url");
  var file = document.getElementById("lead-image-file");
  if (leadPreview && imageURL) {
    imageURL.addEventListener("input", function () {
      var u = imageURL.value.trim();
      if (u && !/^(\/|https?:\/\/)/.test(u)) return;
      if (u) leadPreview.src = u;
      leadPreview.hidden = !u;
    });
  }
  if (leadPreview && file) {
    file.addEventListener("change", function () {
      if (!file.files || !file.files[0]) return;
      leadPreview.src = URL.createObjectURL(file.files[0]);
      leadPreview.hidden = false;
    });
  }

  if (canEdit) offerCopy();
})();
