// "Listen": the browser's own speech synthesis reads the article aloud,
// the headline first, then the body, and the sentence being read is
// highlighted. Nothing leaves the browser.
//
// One utterance per sentence, because Chromium cuts long ones off. The
// highlight is a CSS Custom Highlight (::highlight(listen-sentence) in
// main.css), so the text is never wrapped in elements: the layout does not
// move and the dictionary's double-click on words works as before. Where
// the browser has no highlights, it reads without them; where it has no
// speech synthesis, the control stays hidden.
(function () {
  "use strict";

  var control = document.querySelector(".article-tools .listen");
  var body = document.querySelector(".article-body");
  var synth = window.speechSynthesis;
  if (!control || !body) return;
  if (!synth || !window.SpeechSynthesisUtterance) {
    control.remove(); // also its place, kept while the script loaded
    return;
  }
  var start = control.querySelector(".listen-start");
  var pause = control.querySelector(".listen-pause");
  var stop = control.querySelector(".listen-stop");
  var highlights = window.CSS && CSS.highlights && window.Highlight ? CSS.highlights : null;
  var still = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)");
  var blocks = "h1,h2,h3,h4,h5,h6,p,li,dt,dd,th,td,figure,pre";
  var sentences = [];
  var run = 0; // utterances of an earlier reading are ignored
  var paused = false;
  var reading = false;
  var at = 0; // the sentence being read
  var readLang = "en";

  // <html lang> is the interface's: a Korean reader may read an English
  // article. A Korean article's body says lang="ko"; otherwise the text
  // tells: mostly Hangul is Korean, else English, the paper's own.
  function language() {
    var own = body.closest("[lang]:not(html)");
    if (own) return own.lang;
    var text = body.textContent;
    var hangul = (text.match(/[\uAC00-\uD7A3]/g) || []).length;
    var latin = (text.match(/[A-Za-z]/g) || []).length;
    return hangul > latin ? "ko" : "en";
  }

  function split(text, lang) {
    if (window.Intl && Intl.Segmenter) {
      return Array.from(new Intl.Segmenter(lang, { granularity: "sentence" }).segment(text), function (s) {
        return { at: s.index, text: s.segment };
      });
    }
    var out = [];
    var re = /[^.!?]+(?:[.!?]+["'\u201D\u2019)]*|$)\s*/g;
    for (var m; (m = re.exec(text)) && m[0]; ) out.push({ at: m.index, text: m[0] });
    return out;
  }

  // sentencesOf finds the sentences of one block (a heading, a paragraph,
  // a list item) as ranges of its text nodes; blocks inside it (a figure
  // with its caption, a nested list) are left to themselves or out.
  function sentencesOf(block, lang, out) {
    var nodes = [];
    var text = "";
    var walk = document.createTreeWalker(block, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, function (n) {
      if (n.nodeType === 3) return NodeFilter.FILTER_ACCEPT;
      return n.matches(blocks) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
    });
    for (var n; (n = walk.nextNode()); ) {
      nodes.push({ node: n, at: text.length });
      text += n.data;
    }
    function point(i, end) {
      for (var k = nodes.length - 1; k > 0; k--) {
        if (nodes[k].at < i || (!end && nodes[k].at === i)) break;
      }
      return [nodes[k].node, i - nodes[k].at];
    }
    split(text, lang).forEach(function (s) {
      var from = s.at + s.text.length - s.text.replace(/^\s+/, "").length;
      var to = s.at + s.text.replace(/\s+$/, "").length;
      if (to <= from) return;
      var r = document.createRange();
      r.setStart.apply(r, point(from, false));
      r.setEnd.apply(r, point(to, true));
      out.push({ text: text.slice(from, to), range: r });
    });
  }

  function collect(lang) {
    var out = [];
    var heads = document.querySelectorAll(".article-header h1, .article-header .deck");
    var parts = Array.prototype.slice.call(heads).concat(Array.prototype.slice.call(body.querySelectorAll(blocks)));
    parts.forEach(function (b) {
      if (!b.closest("figure, pre")) sentencesOf(b, lang, out); // no captions, no code
    });
    return out;
  }

  function show(on) {
    reading = on;
    start.hidden = on;
    pause.hidden = stop.hidden = !on;
    paused = false;
    pause.textContent = pause.dataset.pause;
  }

  function onScreen(range) {
    var r = range.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  }

  // mark highlights the sentence being read. The page follows it only
  // while the reader does: when the sentence before was on screen (or this
  // is the first), a sentence below the fold is scrolled into view; a
  // reader who has scrolled elsewhere is left there.
  var marked = null;
  function mark(range) {
    if (!highlights) return;
    var following = !marked || onScreen(marked);
    marked = range;
    if (!range) {
      highlights.delete("listen-sentence");
      return;
    }
    highlights.set("listen-sentence", new Highlight(range));
    if (following && !onScreen(range)) {
      var r = range.getBoundingClientRect();
      window.scrollBy({ top: r.top - window.innerHeight / 3, behavior: still && still.matches ? "auto" : "smooth" });
    }
  }

  function say(i, lang, token) {
    if (token !== run) return;
    if (i >= sentences.length) {
      end(false);
      return;
    }
    at = i;
    var u = new SpeechSynthesisUtterance(sentences[i].text);
    u.lang = lang;
    u.onend = function () { say(i + 1, lang, token); };
    // An error ends the reading; this script's own cancels changed run
    // first.
    u.onerror = function () {
      if (token === run) end(false);
    };
    // A voice cancelled from elsewhere (another tab's, the browser's) ends
    // the reading; the dictionary's word asks first (broadsheet:say).
    mark(sentences[i].range);
    synth.speak(u);
  }

  // end stops reading: the reader's Stop, leaving the page, or the text's
  // end. Focus on a button being hidden moves to Listen.
  function end(cancel) {
    var focused = control.contains(document.activeElement);
    run++;
    if (cancel) {
      if (synth.paused) synth.resume(); // Chromium keeps a paused queue paused
      synth.cancel();
    }
    mark(null);
    show(false);
    if (focused) start.focus();
  }

  start.addEventListener("click", function () {
    var lang = readLang = language();
    end(true);
    sentences = collect(lang);
    show(true);
    pause.focus();
    say(0, lang, run);
  });
  pause.addEventListener("click", function () {
    paused = !paused;
    if (paused) synth.pause();
    else synth.resume();
    pause.textContent = paused ? pause.dataset.resume : pause.dataset.pause;
  });
  stop.addEventListener("click", function () { end(true); });
  // The dictionary's Listen during a reading: the word is said, then the
  // reading goes on from the start of the sentence it broke into, paused
  // or not before. Stop while the word is said ends it all (run changes).
  document.addEventListener("broadsheet:say", function (e) {
    if (!reading) return;
    e.preventDefault();
    var token = ++run;
    if (paused || synth.paused) synth.resume(); // a paused queue says nothing new
    synth.cancel();
    show(true); // a pause ends with the word
    var u = e.detail;
    u.onend = u.onerror = function () {
      u.onend = u.onerror = null;
      say(at, readLang, token);
    };
    synth.speak(u);
  });
  window.addEventListener("pagehide", function () { end(true); });
  control.hidden = false;
})();
