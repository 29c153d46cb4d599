// Comments without leaving the article. The article page is the same
// cached HTML for everyone; this script loads the comments block, which is
// personal and live, into it, and sends every form of the block with
// fetch, so that liking, reporting, replying or deleting keeps the reader
// where they are. Everything also works without JavaScript: the forms post
// and the server sends the reader back to the page, at the comment.
(function () {
  "use strict";

  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

  // length counts user-perceived characters as the server does: a
  // Hangul syllable, an emoji with its modifiers, a letter with its
  // accents are one each.
  function length(text) {
    text = text.replace(/\r\n?/g, "\n").trim();
    if (!segmenter) return Array.from(text).length;
    var n = 0;
    for (var _ of segmenter.segment(text)) n++;
    return n;
  }

  function slot() { return document.getElementById("comments"); }

  function partialURL(href) {
    var u = new URL(href, location.href);
    u.searchParams.set("partial", "1");
    return u.pathname + u.search;
  }

  function blockURL(section) { return section.dataset.src || partialURL(section.dataset.self); }

  // fetchBlock gets a fresh copy of the block without putting it in.
  function fetchBlock(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) {
        if (!res.ok) throw new Error("comments: " + res.status);
        return res.text();
      })
      .then(function (html) {
        var box = document.createElement("div");
        box.innerHTML = html;
        var fresh = box.querySelector("#comments");
        if (!fresh) throw new Error("comments: no block");
        fresh.dataset.src = url;
        return fresh;
      });
  }

  // load puts a fresh block in the place of the one on the page.
  function load(url) {
    return fetchBlock(url).then(function (fresh) {
      var old = slot();
      if (old) old.replaceWith(fresh);
      enhance(fresh);
      return fresh;
    });
  }

  function inView(el) {
    var r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= (window.innerHeight || document.documentElement.clientHeight);
  }

  // reveal scrolls an element into view unless the reader already sees it.
  function reveal(el) {
    if (!inView(el)) el.scrollIntoView({ block: "center" });
  }

  // say shows a sentence at a place in the block. An error is an alert,
  // announced as it appears. A notice is seen where it is put and read
  // out through the block's live region (announce); it can take the
  // focus, for when what the reader acted on is gone.
  function say(anchor, where, text, isError) {
    var p = document.createElement("p");
    p.className = isError ? "comment-error" : "comment-notice";
    if (isError) p.setAttribute("role", "alert");
    else {
      p.setAttribute("tabindex", "-1");
      announce(text);
    }
    p.textContent = text;
    anchor.insertAdjacentElement(where, p);
    reveal(p);
    return p;
  }

  // announce reads a sentence out through the live region the server
  // sends empty in the block: a region already on the page when its text
  // changes is read, where one inserted with its text often is not. It is
  // emptied first and filled a moment later, so that the same sentence
  // twice is read twice, and a block drawn again has its region in the
  // page before the text arrives.
  var announcing = 0;
  function announce(text) {
    var live = slot() && slot().querySelector(".comment-live");
    if (!live || !text) return;
    live.textContent = "";
    clearTimeout(announcing);
    announcing = setTimeout(function () {
      var now = slot() && slot().querySelector(".comment-live");
      if (now) now.textContent = text;
    }, 150);
  }

  // focusOn moves the focus to what the reader's action changed, which
  // replaced the button they pressed.
  function focusOn(el) {
    if (!el.matches("a, button, input, textarea, select, summary")) el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: true });
  }

  function clearMessages(scope) {
    scope.querySelectorAll(".comment-error, .comment-notice").forEach(function (p) { p.remove(); });
  }

  // showError puts the message inside the form that was refused, above
  // its fields, where the reader is looking.
  function showError(form, text) {
    clearMessages(form);
    var first = form.querySelector("label, fieldset, p, button");
    var p = say(first || form, first ? "beforebegin" : "afterbegin", text, true);
    var box = form.querySelector("textarea, input[type=text], input:not([type])");
    if (box) box.setAttribute("aria-describedby", ((box.getAttribute("aria-describedby") || "") + " " + ensureID(p)).trim());
  }

  var seq = 0;
  function ensureID(el) {
    if (!el.id) el.id = "comment-msg-" + (++seq);
    return el.id;
  }

  function counter(section, form) {
    var box = form.querySelector("textarea");
    var out = form.querySelector(".comment-counter");
    var button = form.querySelector("button[type=submit]");
    if (!box || !out) return;
    var max = parseInt(section.dataset.max, 10) || 250;
    // The server writes the counter's wording for the interface language,
    // "({n}/250)" or "({n}/250자)"; the script fills in the number.
    var format = out.dataset.format || "({n}/" + max + ")";
    function update() {
      var n = length(box.value);
      var over = n > max;
      out.textContent = format.replace("{n}", n);
      out.classList.toggle("over", over);
      box.setAttribute("aria-invalid", over ? "true" : "false");
      button.disabled = over || n === 0;
    }
    box.addEventListener("input", update);
    update();
  }

  // submit sends a form of the block with fetch and shows the answer in
  // place. The server answers the script in JSON: {id, notice} or {error}.
  function submit(section, form, submitter) {
    var kind = (form.dataset.form || "").replace(/-\d+$/, "");
    var data = new FormData(form, submitter);
    // Browsers that take no submitter still send the pressed button.
    if (submitter && submitter.name && !data.has(submitter.name)) data.set(submitter.name, submitter.value);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    function done() { buttons.forEach(function (b) { b.disabled = false; }); }
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      body: new URLSearchParams(data)
    }).then(function (res) {
      var type = res.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") < 0) throw new Error("comments: " + res.status);
      return res.json().then(function (body) { return { ok: res.ok, body: body }; });
    }).then(function (r) {
      if (!r.ok) {
        done();
        showError(form, r.body.error || section.dataset.failed);
        return;
      }
      // Past this point the server has done what was asked: if the
      // block cannot be drawn again, sending the form again would post
      // twice or be refused, so the reader is offered the block instead.
      return Promise.resolve().then(function () { return after(section, form, kind, r.body); })
        .catch(function () { notShown(section, form, r.body); });
    }).catch(function () {
      done();
      showError(form, section.dataset.failed);
    });
  }

  // notShown says that a form did its work although the block could not
  // be drawn again (the connection dropped after the answer): the
  // server's sentence, and a link that draws the block again. The form's
  // buttons stay disabled, and a folded form is folded away: what they
  // ask is done.
  function notShown(section, form, answer) {
    var at = form.closest("article.comment") || form;
    var fold = form.closest("details");
    if (fold) fold.open = false;
    clearMessages(form);
    var p = say(at, "beforeend", ((answer.notice || "") + " " + (section.dataset.done || "")).trim(), false);
    var a = document.createElement("a");
    a.href = section.dataset.self;
    a.className = "comment-show-again";
    a.textContent = section.dataset.again || a.href;
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      load(blockURL(section)).then(function (fresh) {
        var target = (answer.id && document.getElementById("c" + answer.id)) || fresh.querySelector("h2");
        focusOn(target);
        reveal(target);
      }).catch(function () { location.href = a.href; });
    });
    p.appendChild(document.createTextNode(" "));
    p.appendChild(a);
    focusOn(p);
  }

  // after shows what a successful form did, keeping the reader's place.
  function after(section, form, kind, answer) {
    var id = answer.id ? "c" + answer.id : "";
    switch (kind) {
      case "comment":
      case "reply":
      case "policy":
        // A new comment may land anywhere in the order: the whole block
        // is drawn again and the reader taken to it.
        return load(blockURL(section)).then(function (fresh) {
          var at = id && document.getElementById(id);
          if (at) {
            say(at, "beforeend", answer.notice, false);
            focusOn(at);
            reveal(at);
          } else if (answer.notice) {
            // Said above the comment box, where the reader goes next (the
            // policy just accepted): the focus goes to it, and the next
            // Tab into the box.
            var box = fresh.querySelector(".comment-form label");
            var p = box ? say(box, "beforebegin", answer.notice, false) : say(fresh.querySelector("h2"), "afterend", answer.notice, false);
            focusOn(p);
          } else {
            focusOn(fresh.querySelector("h2"));
          }
        });
      default:
        // An action on one comment redraws that comment alone, so that
        // what the reader has open or typed elsewhere stays as it is.
        var old = form.closest("article.comment");
        var pressed = kind === "reaction" ? Array.prototype.indexOf.call(form.querySelectorAll("button"), document.activeElement) : -1;
        // A comment from a page that "More comments" appended is drawn
        // again from that page.
        var url = new URL(blockURL(section), location.href);
        var page = old && old.closest("[data-offset]");
        if (page) url.searchParams.set("offset", page.dataset.offset);
        return fetchBlock(url.pathname + url.search).then(function (fresh) {
          var count = fresh.querySelector(".comment-count");
          var here = section.querySelector(".comment-count");
          if (count && here) here.textContent = count.textContent;
          var next = old && fresh.querySelector("#" + old.id);
          if (old && next) {
            // The pressed button is gone with the old comment: a like
            // keeps the focus on its button, anything else moves it to the
            // comment as drawn now.
            old.replaceWith(next);
            if (answer.notice) say(next, "beforeend", answer.notice, false);
            var b = pressed >= 0 && next.querySelectorAll("form.react button")[pressed];
            focusOn(b || next);
            reveal(next);
          } else if (old && kind !== "delete") {
            // The comment is no longer in the list (hidden meanwhile):
            // the sentence stays at it as it was.
            if (answer.notice) focusOn(say(old, "beforeend", answer.notice, false));
          } else if (old) {
            // Deleted and without replies: the comment is gone; its place
            // says so, and takes the focus its button had.
            var note = document.createElement("p");
            note.className = "comment-notice";
            note.textContent = answer.notice;
            old.replaceWith(note);
            announce(answer.notice);
            focusOn(note);
            reveal(note);
          }
        });
    }
  }

  function enhance(section) {
    if (!section.dataset.article) return; // the placeholder on the article page
    section.querySelectorAll("form[data-form]").forEach(function (f) { counter(section, f); });
    section.addEventListener("submit", function (ev) {
      var form = ev.target;
      if (!form.matches || !form.matches("form[data-form]")) return;
      ev.preventDefault();
      submit(section, form, ev.submitter);
    });
    section.addEventListener("click", function (ev) {
      var a = ev.target.closest && ev.target.closest("a");
      if (!a || !section.contains(a)) return;
      if (a.closest(".comment-sort")) {
        // Sorting draws the block again in place.
        ev.preventDefault();
        load(partialURL(a.href)).then(function (fresh) {
          var current = fresh.querySelector(".comment-sort a[aria-current]");
          if (current) current.focus();
        });
      } else if (a.closest(".comment-more")) {
        // "More comments" appends the next page under the ones already read.
        ev.preventDefault();
        more(section, a);
      }
    });
    // Opening a confirmation or a form shows it whole.
    section.addEventListener("toggle", function (ev) {
      if (ev.target.open) {
        var f = ev.target.querySelector("form");
        if (f) reveal(f);
      }
    }, true);
    var err = section.querySelector(".comment-error");
    if (err) reveal(err);
  }

  function more(section, a) {
    fetchBlock(partialURL(a.href)).then(function (fresh) {
      var list = section.querySelector("ol.comment-list");
      var items = fresh.querySelectorAll("ol.comment-list > li");
      var first = items[0];
      var offset = new URL(a.href, location.href).searchParams.get("offset") || "0";
      items.forEach(function (li) {
        li.dataset.offset = offset;
        li.querySelectorAll("form[data-form]").forEach(function (f) { counter(section, f); });
        list.appendChild(li);
      });
      var next = fresh.querySelector(".comment-more");
      var here = a.closest(".comment-more");
      if (next) here.replaceWith(next); else here.remove();
      var article = first && first.querySelector("article.comment");
      if (article) { article.setAttribute("tabindex", "-1"); article.focus(); }
    }).catch(function () { location.href = a.href; });
  }

  var s = slot();
  if (!s) return;
  if (s.dataset.src && !s.dataset.article) {
    load(s.dataset.src).then(function () {
      // Back from a form without the script (or a login), the address
      // names the comment or the block: show it now that it is here.
      var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target && slot().contains(target)) target.scrollIntoView({ block: "start" });
    });
  } else {
    enhance(s);
  }
})();
