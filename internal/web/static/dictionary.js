// The article's dictionary pop-up. Without JavaScript the Dictionary link
// leads to /dictionary; with it, the link becomes a toggle, remembered in
// localStorage. While it is on, double-clicking or selecting a word of the
// article (tapping one on a touch screen) opens a dialog beside the word
// with the newsroom glossary's translations, then WordNet's definitions,
// from GET /api/v1/dictionary. The links of "Words in this article" open
// it too, which is the keyboard's way in: Enter opens it, focus moves into
// it, Esc closes it and focus goes back where it was. Each look-up sends
// the sentence the word was read in (context=), so the sense that fits it
// comes first, marked.
//
// Every text shown comes from the API or from the page's own
// <template id="dictionary-popup-template"> (where the interface strings
// are, in the reader's language) and is set with textContent, never as
// HTML, so nothing in a definition or a glossary entry can run.
(function () {
  "use strict";

  var tools = document.querySelector(".article-tools");
  var body = document.querySelector(".article-body");
  var template = document.getElementById("dictionary-popup-template");
  var link = tools && tools.querySelector(".dictionary-link");
  var toggle = tools && tools.querySelector(".dictionary-toggle");
  var hint = document.getElementById("dictionary-hint");
  if (!body || !template || !link || !toggle || !window.fetch || !template.content) {
    return;
  }
  var labels = template.content.firstElementChild.dataset;
  var storageKey = "broadsheet.dictionary";
  var popup = null; // the open dialog, if any
  var returnFocus = null; // where focus goes when it closes
  var shownFor = ""; // the text it was opened for
  var generation = 0; // answers for an older pop-up are dropped

  // --- the toggle ----------------------------------------------------------

  function remembered() {
    try {
      return window.localStorage.getItem(storageKey) === "on";
    } catch (e) {
      return false; // storage refused (private mode): start off
    }
  }

  function remember(on) {
    try {
      window.localStorage.setItem(storageKey, on ? "on" : "off");
    } catch (e) {
      // the choice then lasts for this page only
    }
  }

  function isOn() {
    return toggle.getAttribute("aria-pressed") === "true";
  }

  function setOn(on) {
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    body.classList.toggle("dictionary-on", on);
    if (hint) {
      hint.hidden = !on;
    }
    if (!on) {
      close(false);
    }
  }

  link.parentNode.hidden = true;
  toggle.parentNode.hidden = false;
  setOn(remembered());
  toggle.addEventListener("click", function () {
    var on = !isOn();
    remember(on);
    setOn(on);
  });

  // --- what to look up -----------------------------------------------------

  var wordPattern = /[A-Za-z\u00C0-\u024F]+(?:['\u2019-][A-Za-z\u00C0-\u024F]+)*/g;
  var clauseEnd = /[.,;:!?"\u201C\u201D()]/;

  // wordsOf lists the words of a text node's text with their positions.
  function wordsOf(text) {
    var out = [];
    var m;
    wordPattern.lastIndex = 0;
    while ((m = wordPattern.exec(text)) !== null) {
      out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
    }
    return out;
  }

  // candidates lists the queries to try for the word at offset in text,
  // best first: the reader's own selection when it spans several words,
  // then windows of three and two words around the word (so that "interest
  // rates" or "lay off" is found as a whole), then the word alone. A
  // window never spans clause punctuation.
  function candidates(text, offset, selected) {
    var out = [];
    function add(q) {
      q = q.replace(/\s+/g, " ").trim();
      if (q && q.length <= 100 && out.indexOf(q) < 0) {
        out.push(q);
      }
    }
    if (selected && /\s/.test(selected.trim())) {
      add(selected);
    }
    var words = wordsOf(text);
    var i = -1;
    for (var k = 0; k < words.length; k++) {
      if (offset >= words[k].start && offset <= words[k].end) {
        i = k;
        break;
      }
    }
    if (i < 0) {
      if (selected) {
        add(selected);
      }
      return out;
    }
    function joinable(from, to) {
      if (from < 0 || to >= words.length) {
        return false;
      }
      return !clauseEnd.test(text.slice(words[from].end, words[to].start));
    }
    for (var n = 3; n >= 2; n--) {
      for (var s = i - n + 1; s <= i; s++) {
        if (joinable(s, s + n - 1)) {
          add(text.slice(words[s].start, words[s + n - 1].end));
        }
      }
    }
    // A double-click selects one part of a hyphenated word ("based" of
    // "Seoul-based"): the whole word, which the dictionary can explain by
    // its parts, comes before the part.
    if (words[i].text.indexOf("-") >= 0) {
      add(words[i].text);
    }
    add(selected && !/\s/.test(selected.trim()) ? selected : words[i].text);
    return out;
  }

  // --- the sentence around a word ------------------------------------------

  var maxContext = 600; // the API's limit, in characters

  // blockOf is the paragraph, list item, heading or quotation holding node.
  function blockOf(node) {
    var e = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    return (e && e.closest("p, li, h2, h3, h4, blockquote, figcaption, td, th")) || body;
  }

  // sentences splits text into sentences, with their positions.
  function sentences(text) {
    var out = [];
    if (window.Intl && Intl.Segmenter) {
      var seg = new Intl.Segmenter("en", { granularity: "sentence" });
      for (var it = seg.segment(text)[Symbol.iterator](), r = it.next(); !r.done; r = it.next()) {
        out.push({ start: r.value.index, end: r.value.index + r.value.segment.length });
      }
      return out;
    }
    var re = /[^.!?]*(?:[.!?]+["\u201D\u2019)]*\s*|$)/g;
    var m;
    while ((m = re.exec(text)) !== null && m[0] !== "") {
      out.push({ start: m.index, end: m.index + m[0].length });
    }
    return out;
  }

  // sentenceAround is the sentence holding offset of text node node, cut
  // to the API's limit around that offset.
  function sentenceAround(node, offset) {
    var block = blockOf(node);
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var text = "";
    var at = -1;
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n === node) {
        at = text.length + offset;
      }
      text += n.data;
    }
    if (at < 0) {
      return "";
    }
    var all = sentences(text);
    for (var i = 0; i < all.length; i++) {
      if (at >= all[i].start && (at < all[i].end || i === all.length - 1)) {
        var from = all[i].start;
        var to = all[i].end;
        if (to - from > maxContext) {
          from = Math.max(from, at - maxContext / 2);
          to = Math.min(to, from + maxContext);
        }
        return text.slice(from, to).replace(/\s+/g, " ").trim();
      }
    }
    return "";
  }

  // firstUse finds the first place the article's body uses word (a form
  // from "Words in this article"), as a text node and an offset.
  function firstUse(word) {
    var re = new RegExp("(^|[^A-Za-z\u00C0-\u024F'\u2019-])(" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")(?![A-Za-z\u00C0-\u024F])", "i");
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      var m = re.exec(n.data);
      if (m) {
        return { node: n, offset: m.index + m[1].length };
      }
    }
    return null;
  }

  function lookup(q, context) {
    // suggest=0: a miss here only means "try the next span"
    var url = "/api/v1/dictionary?suggest=0&q=" + encodeURIComponent(q);
    if (context) {
      url += "&context=" + encodeURIComponent(context);
    }
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (res) {
        if (res.status === 200) {
          return res.json();
        }
        if (res.status === 404 || res.status === 400) {
          return null; // no entry, or not a word: try the next candidate
        }
        throw new Error("dictionary answered " + res.status);
      });
  }

  // firstFound asks for every candidate at once and settles on the first,
  // in order, that the dictionary knows.
  function firstFound(queries, context) {
    return Promise.all(queries.map(function (q) { return lookup(q, context); })).then(function (answers) {
      for (var i = 0; i < answers.length; i++) {
        if (answers[i]) {
          return answers[i];
        }
      }
      return null;
    });
  }

  // --- the dialog ----------------------------------------------------------

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function close(restoreFocus) {
    if (!popup) {
      return;
    }
    generation++;
    popup.remove();
    popup = null;
    shownFor = "";
    if (restoreFocus && returnFocus && document.contains(returnFocus)) {
      returnFocus.focus({ preventScroll: true });
    }
    returnFocus = null;
  }

  // open shows the dialog for query beside rect (the word's box in the
  // viewport) and moves focus into it. It is positioned absolutely in the
  // page, so it never moves the text under it, and kept inside the
  // viewport's width.
  function open(query, rect, queries, context) {
    var from = document.activeElement;
    close(false);
    returnFocus = from && from !== document.body ? from : body;
    if (returnFocus === body && !body.hasAttribute("tabindex")) {
      body.setAttribute("tabindex", "-1"); // focusable from script only
    }
    popup = template.content.firstElementChild.cloneNode(true);
    shownFor = query;
    var title = popup.querySelector(".dict-popup-title");
    var status = popup.querySelector(".dict-popup-status");
    title.textContent = query;
    status.textContent = labels.loading;
    popup.querySelector(".dict-popup-close").addEventListener("click", function () {
      close(true);
    });
    popup.style.visibility = "hidden";
    document.body.appendChild(popup);
    place(rect);
    popup.style.visibility = "";
    popup.focus({ preventScroll: true });

    var mine = ++generation;
    firstFound(queries, context)
      .then(function (answer) {
        if (mine !== generation) {
          return;
        }
        if (!answer) {
          status.textContent = labels.missing.replace("%s", query);
          return;
        }
        status.textContent = "";
        fill(answer);
        place(rect);
      })
      .catch(function () {
        if (mine === generation) {
          status.textContent = labels.failed;
        }
      });
  }

  function place(rect) {
    var margin = 8;
    var vw = document.documentElement.clientWidth;
    var vh = window.innerHeight;
    var width = popup.offsetWidth;
    var height = popup.offsetHeight;
    var left = Math.min(Math.max(rect.left, margin), Math.max(margin, vw - width - margin));
    var top = rect.bottom + 6;
    if (top + height > vh - margin && rect.top - height - 6 >= margin) {
      top = rect.top - height - 6; // no room below the word: above it
    }
    popup.style.left = Math.round(left + window.scrollX) + "px";
    popup.style.top = Math.round(top + window.scrollY) + "px";
  }

  function posLabel(pos) {
    return labels["pos" + pos.charAt(0).toUpperCase() + pos.slice(1)] || pos;
  }

  // analysisSection shows a word the dictionary has no entry for by its
  // parts: each part, what kind it is and what it means.
  function analysisSection(a) {
    var uiLang = document.documentElement.lang;
    var sec = el("section", "dict-popup-entry dict-popup-analysis");
    sec.lang = "en";
    var note = el("p", "dict-popup-form", labels.analysisNote);
    note.lang = uiLang;
    sec.appendChild(note);
    var h = el("h3", "", labels.analysis);
    h.lang = uiLang;
    sec.appendChild(h);
    var ol = el("ol");
    a.parts.forEach(function (p) {
      var li = el("li");
      li.appendChild(el("b", "", p.lemma));
      // A part of a compound is labelled by its part of speech alone.
      var kind = p.kind === "part" ? "" : labels["kind" + p.kind.charAt(0).toUpperCase() + p.kind.slice(1)] || p.kind;
      if (p.pos && p.kind !== "prefix" && p.kind !== "suffix") {
        kind += (kind ? ", " : "") + posLabel(p.pos);
      }
      var k = el("span", "pos", " " + kind);
      k.lang = uiLang;
      li.appendChild(k);
      li.appendChild(document.createTextNode(": "));
      var meaning = el("span", "", p.meaning || labels.analysisUnknown);
      if (!p.meaning) {
        meaning.lang = uiLang;
      }
      li.appendChild(meaning);
      ol.appendChild(li);
    });
    sec.appendChild(ol);
    if (a.pos) {
      var whole = el("p", "dict-popup-form", labels.analysisWhole.replace("%s", posLabel(a.pos)));
      whole.lang = uiLang;
      sec.appendChild(whole);
    }
    return sec;
  }

  // fill writes an answer of GET /api/v1/dictionary into the dialog.
  function fill(answer) {
    var title = popup.querySelector(".dict-popup-title");
    var content = popup.querySelector(".dict-popup-body");
    title.textContent = answer.analysis ? answer.analysis.word : answer.lemma;
    // The browser's own voice says the word: no server, no third party.
    // Where the browser has none, there is no button.
    if (answer.entries.length && window.speechSynthesis && window.SpeechSynthesisUtterance) {
      var listen = el("button", "dict-popup-listen", labels.listen);
      listen.type = "button";
      listen.setAttribute("aria-label", labels.listenTo.replace("%s", answer.lemma));
      listen.addEventListener("click", function () {
        var u = new SpeechSynthesisUtterance(answer.lemma);
        u.lang = "en-US";
        // A reading of the article (listen.js) takes the word in and
        // goes on after it; otherwise the word is said at once.
        var say = new CustomEvent("broadsheet:say", { detail: u, cancelable: true });
        if (document.dispatchEvent(say)) {
          window.speechSynthesis.cancel();
          window.speechSynthesis.speak(u);
        }
      });
      content.appendChild(listen);
    }
    if (answer.entries.length && answer.lemma !== answer.query.toLowerCase()) {
      content.appendChild(el("p", "dict-popup-form", labels.form.replace("%s", answer.lemma)));
    }
    if (answer.glossary.length) {
      var gl = el("section", "dict-popup-glossary");
      gl.appendChild(el("h3", "", labels.glossary));
      var list = el("ul");
      answer.glossary.forEach(function (g) {
        var li = el("li");
        li.appendChild(el("span", "lang-tag", g.lang));
        li.appendChild(document.createTextNode(" "));
        var tr = el("span", "glossary-translation", g.translation);
        tr.lang = g.lang;
        li.appendChild(tr);
        if (g.note) {
          li.appendChild(el("span", "glossary-note", g.note));
        }
        list.appendChild(li);
      });
      gl.appendChild(list);
      content.appendChild(gl);
    }
    if (answer.analysis) {
      content.appendChild(analysisSection(answer.analysis));
    }
    answer.entries.forEach(function (entry) {
      var sec = el("section", "dict-popup-entry");
      sec.lang = "en";
      var h = el("h3", "", entry.lemma + " ");
      if (entry.pronunciation) {
        h.appendChild(el("span", "pron", entry.pronunciation));
        h.appendChild(document.createTextNode(" "));
      }
      // "auxiliary verb" is labelled by data-pos-auxiliary-verb, read as posAuxiliaryVerb.
      var posKey = "pos" + entry.pos.split(" ").map(function (w) { return w.charAt(0).toUpperCase() + w.slice(1); }).join("");
      var pos = el("span", "pos", labels[posKey] || entry.pos);
      pos.lang = document.documentElement.lang;
      h.appendChild(pos);
      sec.appendChild(h);
      var ol = el("ol");
      entry.definitions.forEach(function (d) {
        var li = el("li", d.fits ? "fits" : "", d.text);
        if (d.fits) {
          // Before the definition, so that a screen reader says it first.
          var fits = el("span", "fits-label", labels.fits);
          fits.lang = document.documentElement.lang;
          li.insertBefore(fits, li.firstChild);
        }
        d.examples.forEach(function (ex) {
          li.appendChild(el("q", "", ex));
        });
        ol.appendChild(li);
      });
      sec.appendChild(ol);
      if (entry.synonyms.length) {
        var syn = el("p", "synonyms");
        var label = el("span", "", labels.synonyms);
        label.lang = document.documentElement.lang;
        syn.appendChild(label);
        syn.appendChild(document.createTextNode(": " + entry.synonyms.join(", ")));
        sec.appendChild(syn);
      }
      content.appendChild(sec);
    });
    var more = popup.querySelector(".dict-popup-more a");
    var url = new URL(more.getAttribute("href"), location.href);
    url.searchParams.set("q", answer.analysis ? answer.analysis.word : answer.lemma);
    more.href = url.pathname + url.search;
  }

  // --- events --------------------------------------------------------------

  // fromSelection opens the dialog for the selected text, if the reader
  // selected something inside the article body.
  function fromSelection() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) {
      return false;
    }
    var range = sel.getRangeAt(0);
    var text = sel.toString().replace(/\s+/g, " ").trim();
    if (!text || text.length > 100 || !body.contains(range.commonAncestorContainer) || !/[A-Za-z]/.test(text)) {
      return false;
    }
    if (popup && text === shownFor) {
      return true;
    }
    var node = range.startContainer;
    var queries = node.nodeType === Node.TEXT_NODE ? candidates(node.data, range.startOffset, text) : [text];
    var context = node.nodeType === Node.TEXT_NODE ? sentenceAround(node, range.startOffset) : "";
    open(text, range.getBoundingClientRect(), queries, context);
    return true;
  }

  // caretAt finds the text node and offset under a point.
  function caretAt(x, y) {
    if (document.caretPositionFromPoint) {
      var p = document.caretPositionFromPoint(x, y);
      return p && { node: p.offsetNode, offset: p.offset };
    }
    if (document.caretRangeFromPoint) {
      var r = document.caretRangeFromPoint(x, y);
      return r && { node: r.startContainer, offset: r.startOffset };
    }
    return null;
  }

  // fromPoint opens the dialog for the word under a tap.
  function fromPoint(x, y) {
    var c = caretAt(x, y);
    if (!c || c.node.nodeType !== Node.TEXT_NODE || !body.contains(c.node)) {
      return;
    }
    var words = wordsOf(c.node.data);
    for (var i = 0; i < words.length; i++) {
      if (c.offset >= words[i].start && c.offset <= words[i].end) {
        var range = document.createRange();
        range.setStart(c.node, words[i].start);
        range.setEnd(c.node, words[i].end);
        open(words[i].text, range.getBoundingClientRect(), candidates(c.node.data, c.offset, ""), sentenceAround(c.node, c.offset));
        return;
      }
    }
  }

  body.addEventListener("mouseup", function (e) {
    if (isOn() && e.button === 0) {
      fromSelection();
    }
  });
  body.addEventListener("dblclick", function () {
    if (isOn()) {
      fromSelection();
    }
  });
  body.addEventListener("keyup", function (e) {
    if (isOn() && e.shiftKey) {
      fromSelection(); // a selection made with Shift and the arrow keys
    }
  });
  body.addEventListener("pointerup", function (e) {
    if (!isOn() || e.pointerType !== "touch" || e.target.closest("a")) {
      return;
    }
    if (!fromSelection()) {
      fromPoint(e.clientX, e.clientY);
    }
  });

  // "Words in this article": with the dictionary on, a word's link opens
  // the pop-up (a click with a modifier key still follows the link).
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest(".article-words a[data-word]");
    if (!a || !isOn() || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) {
      return;
    }
    e.preventDefault();
    var word = a.getAttribute("data-word");
    // The word's own sentence: the first place the article uses its form.
    var use = firstUse(a.getAttribute("data-form") || word);
    a.focus({ preventScroll: true });
    open(word, a.getBoundingClientRect(), [word], use ? sentenceAround(use.node, use.offset) : "");
  });

  document.addEventListener("keydown", function (e) {
    if (popup && e.key === "Escape") {
      e.preventDefault();
      close(true);
    }
  });

  // A press outside the dialog closes it; one inside the article body
  // may be the start of the next look-up.
  document.addEventListener("pointerdown", function (e) {
    if (popup && !popup.contains(e.target)) {
      close(false);
    }
  });
})();
