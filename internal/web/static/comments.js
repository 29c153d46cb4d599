// Comments without page reloads. The article page is the same cached
// HTML for everyone; this script loads the comments block, which is
// personal and live, into it. Everything here also works without
// JavaScript through plain links and forms; the script only adds the
// live character counter and posting without a reload.
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

  function load(url, focusId) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) {
        if (!res.ok) throw new Error("comments: " + res.status);
        return res.text();
      })
      .then(function (html) {
        var old = slot();
        var box = document.createElement("div");
        box.innerHTML = html;
        var fresh = box.querySelector("#comments");
        if (!old || !fresh) return;
        fresh.dataset.src = url;
        old.replaceWith(fresh);
        enhance(fresh);
        if (focusId) {
          var el = document.getElementById(focusId);
          if (el) { el.setAttribute("tabindex", "-1"); el.focus(); }
        }
      });
  }

  function partialURL(href) {
    var u = new URL(href, location.href);
    u.searchParams.set("partial", "1");
    return u.pathname + u.search;
  }

  function showError(section, text) {
    var p = section.querySelector(".comment-error");
    if (!p) {
      p = document.createElement("p");
      p.className = "comment-error";
      p.setAttribute("role", "alert");
      section.querySelector("h2").after(p);
    }
    p.textContent = text;
  }

  function counter(section, form) {
    var box = form.querySelector("textarea");
    var out = form.querySelector(".comment-counter");
    var button = form.querySelector("button[type=submit]");
    var max = parseInt(section.dataset.max, 10) || 250;
    // The server writes the counter's wording for the interface language,
    // "({n}/250)" or "({n}/250자)"; the script fills in the number.
    var format = out ? out.dataset.format || "({n}/" + max + ")" : "";
    function update() {
      var n = length(box.value);
      var over = n > max;
      if (out) {
        out.textContent = format.replace("{n}", n);
        out.classList.toggle("over", over);
      }
      box.setAttribute("aria-invalid", over ? "true" : "false");
      button.disabled = over || n === 0;
    }
    box.addEventListener("input", update);
    update();
  }

  function post(section, form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = form.querySelector("textarea").value;
      var parent = form.querySelector("input[name=parent_id]");
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      fetch("/api/v1/articles/" + section.dataset.article + "/comments", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": section.dataset.csrf },
        body: JSON.stringify({ body: body, parent_id: parent ? parseInt(parent.value, 10) : 0 })
      }).then(function (res) {
        return res.json().then(function (data) { return { ok: res.ok, data: data }; });
      }).then(function (r) {
        if (!r.ok) {
          button.disabled = false;
          showError(section, r.data.error || "The comment could not be posted.");
          return;
        }
        return load(section.dataset.src || partialURL(section.dataset.self), "c" + r.data.id);
      }).catch(function () {
        button.disabled = false;
        showError(section, "The comment could not be posted; check your connection and try again.");
      });
    });
  }

  function enhance(section) {
    if (!section.dataset.article) return; // the placeholder on the article page
    var main = section.querySelector("form.comment-form");
    if (main) { counter(section, main); post(section, main); }
    section.querySelectorAll(".comment-reply form").forEach(function (f) { post(section, f); });
    // Sorting reloads the block in place.
    section.querySelectorAll(".comment-sort a").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        load(partialURL(a.href));
      });
    });
    // "More comments" appends the next page under the ones already read.
    section.querySelectorAll(".comment-more a").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        more(section, a);
      });
    });
  }

  function more(section, a) {
    fetch(partialURL(a.href), { credentials: "same-origin" })
      .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
      .then(function (html) {
        var box = document.createElement("div");
        box.innerHTML = html;
        var list = section.querySelector("ol.comment-list");
        var items = box.querySelectorAll("ol.comment-list > li");
        var first = items[0];
        items.forEach(function (li) {
          li.querySelectorAll(".comment-reply form").forEach(function (f) { post(section, f); });
          list.appendChild(li);
        });
        var next = box.querySelector(".comment-more");
        var here = a.closest(".comment-more");
        if (next) {
          here.replaceWith(next);
          next.querySelector("a").addEventListener("click", function (ev) {
            ev.preventDefault();
            more(section, next.querySelector("a"));
          });
        } else {
          here.remove();
        }
        var article = first && first.querySelector("article.comment");
        if (article) { article.setAttribute("tabindex", "-1"); article.focus(); }
      })
      .catch(function () { location.href = a.href; });
  }

  var s = slot();
  if (!s) return;
  if (s.dataset.src && !s.dataset.article) {
    load(s.dataset.src);
  } else {
    enhance(s);
  }
})();
