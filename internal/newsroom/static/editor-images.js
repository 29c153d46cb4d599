// Images in the article editor: drop, paste or pick image files into the
// body, where each is uploaded to the media library and becomes a figure
// (alt text, caption and credit asked for in a dialog); the lead image
// uploaded as soon as it is chosen; and a chooser that reuses images of
// the library. Without this script the lead image's file is sent with the
// form, and the library's own pages upload and list images.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  var body = document.getElementById("body");
  var textEl = document.getElementById("editor-images-text");
  if (!form || !body || !textEl || !window.fetch || !window.FormData || !window.HTMLDialogElement) return;
  var T = {};
  try { T = JSON.parse(textEl.textContent); } catch (e) { return; }
  function t(k) { return T[k] || k; }
  var lang = document.documentElement.lang || "en";

  function fire(el) { el.dispatchEvent(new Event("input", {bubbles: true})); }
  function csrf() { return form.querySelector('input[name="csrf"]').value; }
  function url(path) { return path + (path.indexOf("?") < 0 ? "?" : "&") + "lang=" + encodeURIComponent(lang); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  // Announcements for screen readers, and errors shown under the body.
  var live = document.getElementById("editor-live");
  var bodyError = el("p", {"class": "editor-images-error", id: "editor-images-error", role: "alert"});
  bodyError.hidden = true;
  body.insertAdjacentElement("afterend", bodyError);
  function announce(msg) { if (live) live.textContent = msg; }
  function showError(msg) {
    bodyError.textContent = msg;
    bodyError.hidden = !msg;
    announce(msg);
  }

  // send posts a form to the library and gives its JSON answer, or fails
  // with the server's sentence.
  function send(path, fd) {
    fd.append("csrf", csrf());
    return fetch(url(path), {method: "POST", body: fd, credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) throw new Error(j.message || t("newsroom_media_js_failed"));
          return j;
        });
      }, function () { throw new Error(t("newsroom_media_js_offline")); });
  }
  function upload(file, d) {
    var fd = new FormData();
    fd.append("image", file, file.name || "image");
    fd.append("alt", d.alt || "");
    fd.append("caption", d.caption || "");
    fd.append("credit", d.credit || "");
    return send("/newsroom/media", fd);
  }
  function saveDetails(id, d) {
    var fd = new URLSearchParams(); // the details' form is not multipart
    fd.append("alt", d.alt);
    fd.append("caption", d.caption);
    fd.append("credit", d.credit);
    return send("/newsroom/media/" + id, fd);
  }

  // figure writes the Markdown of a figure: the title is "Caption | Credit".
  function oneLine(s) { return String(s || "").replace(/[\r\n]+/g, " ").trim(); }
  function figure(src, d) {
    var alt = oneLine(d.alt).replace(/[\\\[\]]/g, "\\$&");
    var title = oneLine(d.caption);
    if (oneLine(d.credit)) title += " | " + oneLine(d.credit);
    var out = "![" + alt + "](" + src;
    if (title) out += ' "' + title.replace(/["\\]/g, "\\$&") + '"';
    return out + ")";
  }

  // Placeholders: each upload's own line, found again by its number
  // however the text around it changes meanwhile.
  // A placeholder is inserted quietly (no input event): it is no change
  // worth an autosave, and a save that carried it could publish a broken
  // image. The figure that replaces it, or its removal, is announced.
  var uploads = 0;
  function insertBlock(text, pos, quiet) {
    var v = body.value, before = v.slice(0, pos), after = v.slice(pos);
    var pre = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    var post = after === "" ? "\n" : (/^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n"));
    body.value = before + pre + text + post + after;
    var end = pos + pre.length + text.length + post.length;
    body.setSelectionRange(end, end);
    if (!quiet) fire(body);
    return end;
  }
  function replacePlaceholder(ph, text) {
    var v = body.value, i = v.indexOf(ph);
    if (i < 0) return false;
    if (text) {
      body.value = v.slice(0, i) + text + v.slice(i + ph.length);
    } else { // the placeholder goes with the blank line it brought
      var before = v.slice(0, i).replace(/\n+$/, ""), after = v.slice(i + ph.length).replace(/^\n+/, "");
      body.value = before + (before && after ? "\n\n" : (before ? "\n" : "")) + after;
    }
    fire(body);
    return true;
  }

  // The details dialog: alt text (required), caption and credit. One
  // question at a time: several uploads wait their turn.
  var detailsDialog = el("dialog", {"class": "editor-images-dialog", "aria-labelledby": "editor-images-details-title"});
  detailsDialog.innerHTML =
    '<form method="dialog" class="newsroom-form">' +
    '<h2 id="editor-images-details-title"></h2>' +
    '<p class="editor-images-dialog-file"></p>' +
    '<p><label for="editor-images-alt"></label><input id="editor-images-alt" name="alt" required maxlength="1000"></p>' +
    '<p><label for="editor-images-caption"></label><input id="editor-images-caption" name="caption" maxlength="1000"></p>' +
    '<p><label for="editor-images-credit"></label><input id="editor-images-credit" name="credit" maxlength="120"></p>' +
    '<p class="editor-images-dialog-buttons"><button type="submit" value="ok"></button> <button type="button" class="editor-images-cancel"></button></p>' +
    "</form>";
  document.body.appendChild(detailsDialog);
  var dForm = detailsDialog.querySelector("form");
  var dAlt = detailsDialog.querySelector("#editor-images-alt");
  var dCaption = detailsDialog.querySelector("#editor-images-caption");
  var dCredit = detailsDialog.querySelector("#editor-images-credit");
  detailsDialog.querySelector("h2").textContent = t("newsroom_media_js_details");
  detailsDialog.querySelector('label[for="editor-images-alt"]').textContent = t("newsroom_media_field_alt");
  detailsDialog.querySelector('label[for="editor-images-caption"]').textContent = t("newsroom_media_field_caption");
  detailsDialog.querySelector('label[for="editor-images-credit"]').textContent = t("newsroom_media_field_credit");
  detailsDialog.querySelector('button[type="submit"]').textContent = t("newsroom_media_js_insert");
  var dCancel = detailsDialog.querySelector(".editor-images-cancel");
  dCancel.textContent = t("newsroom_media_js_cancel");
  dCancel.addEventListener("click", function () { detailsDialog.close("cancel"); });

  var queue = Promise.resolve();
  // askDetails resolves with the details, or null when cancelled (Esc or
  // the Cancel button).
  function askDetails(name, d) {
    var asked = queue.then(function () {
      return new Promise(function (resolve) {
        detailsDialog.querySelector(".editor-images-dialog-file").textContent = name;
        dAlt.value = d.alt || "";
        dCaption.value = d.caption || "";
        dCredit.value = d.credit || "";
        detailsDialog.returnValue = "";
        detailsDialog.addEventListener("close", function done() {
          detailsDialog.removeEventListener("close", done);
          body.focus();
          if (detailsDialog.returnValue !== "ok") { resolve(null); return; }
          resolve({alt: oneLine(dAlt.value), caption: oneLine(dCaption.value), credit: oneLine(dCredit.value)});
        });
        detailsDialog.showModal();
        dAlt.focus();
      });
    });
    queue = asked.catch(function () {});
    return asked;
  }
  dForm.addEventListener("submit", function (e) {
    if (!oneLine(dAlt.value)) { // required: the browser says so too
      e.preventDefault();
      dAlt.reportValidity();
    }
  });

  // placeImages uploads files into the body at pos, each at its own place.
  function placeImages(files, pos) {
    var imgs = Array.prototype.filter.call(files, function (f) { return /^image\//.test(f.type); });
    if (!imgs.length) {
      if (files.length) showError(t("newsroom_media_err_unsupported"));
      return;
    }
    showError("");
    imgs.forEach(function (file) {
      uploads++;
      var name = file.name || t("newsroom_media_js_pasted");
      var ph = "![" + t("newsroom_media_js_uploading").replace("{name}", name) + "](#uploading-" + uploads + ")";
      pos = insertBlock(ph, pos, true);
      announce(t("newsroom_media_js_uploading").replace("{name}", name));
      upload(file, {}).then(function (im) {
        return askDetails(name, im).then(function (d) {
          if (!d) { replacePlaceholder(ph, ""); return; }
          replacePlaceholder(ph, figure(im.url, d));
          announce(t("newsroom_media_js_inserted"));
          return saveDetails(im.id, d).catch(function () {}); // kept in the body either way
        });
      }).catch(function (err) {
        replacePlaceholder(ph, "");
        showError(err.message);
      });
    });
  }

  body.addEventListener("dragover", function (e) {
    if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    }
  });
  body.addEventListener("drop", function (e) {
    if (!e.dataTransfer || !e.dataTransfer.files || !e.dataTransfer.files.length) return;
    e.preventDefault();
    placeImages(e.dataTransfer.files, body.selectionStart);
  });
  body.addEventListener("paste", function (e) {
    var files = e.clipboardData && e.clipboardData.files;
    if (!files || !files.length) return;
    e.preventDefault();
    placeImages(files, body.selectionStart);
  });

  // The toolbar's buttons: pick files, or choose from the library.
  var toolbar = form.querySelector(".editor-toolbar");
  var picker = el("input", {type: "file", accept: "image/jpeg,image/png,image/webp", multiple: "", hidden: "", tabindex: "-1"});
  form.appendChild(picker);
  picker.addEventListener("change", function () {
    placeImages(picker.files, body.selectionStart);
    picker.value = "";
  });
  if (toolbar) {
    var pickButton = el("button", {type: "button", "class": "editor-images-pick"}, t("newsroom_media_js_button"));
    pickButton.addEventListener("click", function () { picker.click(); });
    var chooseButton = el("button", {type: "button", "class": "editor-images-choose"}, t("newsroom_media_js_choose"));
    chooseButton.addEventListener("click", function () {
      var pos = body.selectionStart;
      choose(function (im) {
        var put = function (d) { insertBlock(figure(im.url, d), pos); body.focus(); };
        if (im.alt) { put(im); return; }
        askDetails(im.alt || im.url, im).then(function (d) { if (d) put(d); });
      });
    });
    toolbar.appendChild(pickButton);
    toolbar.appendChild(chooseButton);
  }

  // The chooser: a page of the library at a time, with a search.
  var chooser = el("dialog", {"class": "editor-images-chooser", "aria-labelledby": "editor-images-chooser-title"});
  chooser.innerHTML =
    '<h2 id="editor-images-chooser-title"></h2>' +
    '<form class="editor-images-search" role="search"><label for="editor-images-q"></label> ' +
    '<input type="search" id="editor-images-q" maxlength="100"> <button type="submit"></button></form>' +
    '<p class="editor-images-chooser-status" role="status"></p>' +
    '<ul class="editor-images-results"></ul>' +
    '<p><button type="button" class="editor-images-more" hidden></button> <button type="button" class="editor-images-close"></button></p>';
  document.body.appendChild(chooser);
  chooser.querySelector("h2").textContent = t("newsroom_media_js_choose");
  chooser.querySelector("label").textContent = t("newsroom_media_search");
  chooser.querySelector('button[type="submit"]').textContent = t("newsroom_media_search_button");
  var cQ = chooser.querySelector("#editor-images-q");
  var cStatus = chooser.querySelector(".editor-images-chooser-status");
  var cList = chooser.querySelector(".editor-images-results");
  var cMore = chooser.querySelector(".editor-images-more");
  cMore.textContent = t("newsroom_media_next");
  var cClose = chooser.querySelector(".editor-images-close");
  cClose.textContent = t("newsroom_media_js_cancel");
  cClose.addEventListener("click", function () { chooser.close(); });
  var picked = null, nextPage = 0;

  function load(page) {
    cStatus.textContent = t("newsroom_media_js_loading");
    fetch(url("/newsroom/media.json?q=" + encodeURIComponent(cQ.value) + "&page=" + page), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.message); return j; }); })
      .then(function (j) {
        if (page === 1) cList.textContent = "";
        j.images.forEach(function (im) {
          var li = el("li");
          var b = el("button", {type: "button", "class": "editor-images-result"});
          var img = el("img", {src: im.thumb, alt: "", width: String(im.width), height: String(im.height), loading: "lazy"});
          b.appendChild(img);
          b.appendChild(el("span", {}, im.alt || im.caption || t("newsroom_media_no_alt")));
          b.addEventListener("click", function () {
            var fn = picked;
            picked = null;
            chooser.close();
            if (fn) fn(im);
          });
          li.appendChild(b);
          cList.appendChild(li);
        });
        nextPage = j.next;
        cMore.hidden = !j.next;
        cStatus.textContent = cList.children.length ? "" : t("newsroom_media_js_none");
      })
      .catch(function (err) { cStatus.textContent = err.message || t("newsroom_media_js_failed"); });
  }
  chooser.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); load(1); });
  cMore.addEventListener("click", function () { if (nextPage) load(nextPage); });
  function choose(fn) {
    picked = fn;
    chooser.showModal();
    cQ.focus();
    load(1);
  }

  // The lead image: uploaded as soon as it is chosen, so saving the form
  // does not send it again; or chosen from the library.
  var leadFile = document.getElementById("lead-image-file");
  var leadPreview = document.getElementById("lead-image-preview");
  var lead = {url: document.getElementById("image_url"), alt: document.getElementById("image_alt"),
    caption: document.getElementById("image_caption"), credit: document.getElementById("image_credit")};
  function setLead(im, overwrite) {
    lead.url.value = im.url;
    fire(lead.url);
    ["alt", "caption", "credit"].forEach(function (k) {
      if (lead[k] && (overwrite || !lead[k].value) && im[k]) {
        lead[k].value = im[k];
        fire(lead[k]);
      }
    });
    if (leadPreview) {
      leadPreview.src = im.thumb || im.url;
      if (im.srcset) leadPreview.srcset = im.srcset;
      leadPreview.alt = im.alt || "";
      leadPreview.hidden = false;
    }
  }
  if (leadFile && lead.url) {
    var leadStatus = el("p", {"class": "editor-images-lead-status", role: "status"});
    leadFile.insertAdjacentElement("afterend", leadStatus);
    leadFile.addEventListener("change", function () {
      var file = leadFile.files && leadFile.files[0];
      if (!file) return;
      leadStatus.textContent = t("newsroom_media_js_uploading").replace("{name}", file.name);
      upload(file, {alt: lead.alt ? lead.alt.value : "", caption: lead.caption ? lead.caption.value : "",
        credit: lead.credit ? lead.credit.value : ""}).then(function (im) {
        setLead(im, false);
        leadStatus.textContent = t("newsroom_media_js_lead_done");
      }, function (err) {
        leadStatus.textContent = err.message;
        announce(err.message);
      }).then(function () { leadFile.value = ""; });
    });
    var leadChoose = el("button", {type: "button", "class": "editor-images-choose-lead"}, t("newsroom_media_js_choose"));
    leadChoose.addEventListener("click", function () { choose(function (im) { setLead(im, true); }); });
    leadFile.insertAdjacentElement("afterend", leadChoose);
  }
})();
