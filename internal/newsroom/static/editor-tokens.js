// Authors and tags as tokens in the article editor. The form's own fields
// (#authors: one "Name <email>" a line; #tags: names separated by commas)
// stay the data and the path without JavaScript: this script hides them,
// shows each author or tag as a chip with a combobox to add more (ARIA 1.2
// pattern, suggestions from /newsroom/authors.json and /newsroom/tags.json)
// and writes every change back into the hidden field with a bubbling
// input event, which editor.js autosaves and keeps in its local copy.
(function () {
  "use strict";
  var authorsField = document.getElementById("authors");
  var tagsField = document.getElementById("tags");
  if ((!authorsField && !tagsField) || !window.fetch) return;
  var lang = document.documentElement.lang || "";

  function address(path, q) {
    var u = path + "?q=" + encodeURIComponent(q || "");
    return lang ? u + "&lang=" + encodeURIComponent(lang) : u;
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (j) {
          if (!r.ok) throw new Error(j.message || String(r.status));
          return j;
        });
      });
  }
  function fill(s, vals) {
    return s.replace(/\{(\w+)\}/g, function (m, k) { return k in vals ? String(vals[k]) : m; });
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "className") e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    if (text) e.textContent = text;
    return e;
  }
  function lower(s) { return String(s).toLocaleLowerCase(); }

  // Bylines as the server reads them (net/mail): a name with characters
  // that mean something in an address is quoted.
  var special = /[()<>\[\]:;@\\,"]/;
  var bylineLine = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<]*?))\s*<([^<>\s]+)>\s*$/;
  var emailShape = /^[^\s@<>()\[\]\\,;:"]+@[^\s@<>()\[\]\\,;:"]+\.[^\s@<>()\[\]\\,;:".]+$/;

  var authorKind = {
    name: "authors",
    path: "/newsroom/authors.json",
    reorder: true,
    parse: function (value) {
      return value.split(/\r?\n/).filter(function (l) { return l.trim() !== ""; }).map(function (line) {
        var m = bylineLine.exec(line);
        if (!m) return { label: line.trim(), key: lower(line.trim()), raw: line.trim() };
        var name = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
        return { label: name, detail: m[3], key: lower(m[3]) };
      });
    },
    serialize: function (tokens) {
      return tokens.map(function (t) {
        if (t.raw) return t.raw;
        var name = special.test(t.label) ? '"' + t.label.replace(/(["\\])/g, "\\$1") + '"' : t.label;
        return name + " <" + t.detail + ">";
      }).join("\n");
    },
    results: function (j) {
      return (j.authors || []).map(function (a) {
        return { label: a.name, detail: a.email, key: lower(a.email) };
      });
    }
  };

  var tagKind = {
    name: "tags",
    path: "/newsroom/tags.json",
    reorder: false,
    parse: function (value) {
      return value.split(",").map(function (t) { return t.trim(); }).filter(Boolean).map(function (t) {
        return { label: t, key: lower(t) };
      });
    },
    serialize: function (tokens) {
      return tokens.map(function (t) { return t.label; }).join(", ");
    },
    results: function (j) {
      return (j.tags || []).map(function (n) { return { label: n, key: lower(n) }; });
    }
  };

  // A field the reader may not change (a disabled fieldset, for those
  // who may only read the article) stays as it is.
  var fields = [[authorsField, authorKind], [tagsField, tagKind]].filter(function (p) {
    return p[0] && !p[0].matches(":disabled");
  });
  // The form tells other scripts (and tests) what became of the fields:
  // data-tokens is "on", "off" (left plain) or "unavailable".
  var form = (authorsField || tagsField).form || document.body;
  if (!fields.length) { form.dataset.tokens = "off"; return; }
  getJSON(address("/newsroom/tokens.json", "")).then(function (cfg) {
    fields.forEach(function (p) { tokenField(p[0], p[1], cfg.messages, cfg.limits); });
    form.dataset.tokens = "on";
  }).catch(function () { form.dataset.tokens = "unavailable"; /* the plain fields keep working */ });

  function tokenField(field, kind, msg, limits) {
    var id = field.id;
    var tokens = kind.parse(field.value);
    var max = kind.name === "authors" ? limits.authors : limits.tags;
    var options = [], active = -1, seq = 0, timer = null, cache = {};

    var box = el("div", { className: "tokens tokens-" + kind.name });
    var list = el("ul", { className: "tokens-list", "aria-label": msg[kind.name + "Chosen"] });
    var entryWrap = el("div", { className: "tokens-entry" });
    var input = el("input", {
      type: "text", id: id + "-entry", className: "tokens-input", role: "combobox", autocomplete: "off",
      "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": id + "-listbox",
      spellcheck: "false", maxlength: String(limits.query)
    });
    var listbox = el("ul", { id: id + "-listbox", role: "listbox", className: "tokens-listbox", "aria-label": msg[kind.name + "Found"] });
    listbox.hidden = true;
    var hint = el("p", { id: id + "-tokens-hint", className: "newsroom-hint tokens-hint" }, msg[kind.name + "Hint"]);
    var problem = el("p", { id: id + "-tokens-problem", className: "field-error tokens-problem", role: "status" });
    var live = el("p", { className: "tokens-sr", "aria-live": "polite" });
    entryWrap.appendChild(input);
    entryWrap.appendChild(listbox);
    box.appendChild(list);
    box.appendChild(entryWrap);

    // The form's label now names the box one types in; its old hint
    // described the plain field and gives way to this one.
    var label = document.querySelector('label[for="' + id + '"]');
    if (label) label.htmlFor = input.id;
    var describedBy = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (d) {
      var old = document.getElementById(d);
      if (d === id + "-hint" && old) { old.hidden = true; return false; }
      return d !== "";
    });
    describedBy.push(hint.id, problem.id);
    input.setAttribute("aria-describedby", describedBy.join(" "));
    if (field.getAttribute("aria-invalid") === "true") input.setAttribute("aria-invalid", "true");

    var newAuthor = kind.name === "authors" ? newAuthorPanel() : null;
    if (newAuthor) box.appendChild(newAuthor.panel);
    box.appendChild(problem);
    box.appendChild(hint);
    box.appendChild(live);
    field.hidden = true;
    field.removeAttribute("list");
    field.parentNode.insertBefore(box, field.nextSibling);

    // Typing in the box is not a change to the article: only the hidden
    // field's input events should reach editor.js.
    ["input", "change"].forEach(function (type) {
      box.addEventListener(type, function (e) { e.stopPropagation(); });
    });

    function say(text) { live.textContent = ""; live.textContent = text; }
    function complain(text) { problem.textContent = text || ""; }

    var writing = false;
    function writeBack() {
      field.value = kind.serialize(tokens);
      writing = true;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      writing = false;
    }
    // Another script may fill the field (the local copy offered back
    // after a crash, a restored version): the chips follow it.
    ["input", "change"].forEach(function (type) {
      field.addEventListener(type, function () {
        if (writing) return;
        tokens = kind.parse(field.value);
        render();
      });
    });

    function has(key) {
      return tokens.some(function (t) { return t.key === key; });
    }

    function add(token) {
      if (has(token.key)) { complain(fill(msg.duplicate, { name: token.label })); return false; }
      if (tokens.length >= max) {
        complain(kind.name === "authors" ? msg.tooManyAuthors : msg.tooManyTags);
        return false;
      }
      if (kind.name === "tags" && [...token.label].length > limits.tagLength) { complain(msg.tagTooLong); return false; }
      if (kind.name === "authors" && [...token.label].length > limits.nameLength) { complain(msg.nameTooLong); return false; }
      complain("");
      tokens.push(token);
      render();
      writeBack();
      say(fill(msg.added, { name: token.label }));
      return true;
    }

    function removeAt(i, focusAfter) {
      var gone = tokens.splice(i, 1)[0];
      complain("");
      render();
      writeBack();
      say(fill(msg.removed, { name: gone.label }));
      if (focusAfter) {
        var next = list.querySelectorAll(".token-remove")[Math.min(i, tokens.length - 1)];
        (next || input).focus();
      }
    }

    function move(from, to, focusClass) {
      if (to < 0 || to >= tokens.length || to === from) return;
      var t = tokens.splice(from, 1)[0];
      tokens.splice(to, 0, t);
      render();
      writeBack();
      say(fill(msg.moved, { name: t.label, pos: to + 1, count: tokens.length }));
      if (focusClass) {
        var chip = list.children[to];
        var b = chip.querySelector("." + focusClass + ":not([disabled])") || chip.querySelector(".token-move:not([disabled])");
        if (b) b.focus();
      }
    }

    function render() {
      list.textContent = "";
      list.hidden = tokens.length === 0;
      tokens.forEach(function (t, i) {
        var chip = el("li", { className: "token" + (t.raw ? " token-invalid" : "") });
        var text = el("span", { className: "token-text" });
        text.appendChild(el("span", { className: "token-label" }, t.label));
        if (t.detail) text.appendChild(el("span", { className: "token-detail" }, t.detail));
        chip.appendChild(text);
        var actions = el("span", { className: "token-actions" });
        chip.appendChild(actions);
        if (kind.reorder && tokens.length > 1) {
          chip.draggable = true;
          chip.dataset.index = String(i);
          var up = el("button", { type: "button", className: "token-move token-up", "aria-label": fill(msg.moveUp, { name: t.label }) });
          up.appendChild(el("span", { "aria-hidden": "true" }, "↑"));
          up.disabled = i === 0;
          var down = el("button", { type: "button", className: "token-move token-down", "aria-label": fill(msg.moveDown, { name: t.label }) });
          down.appendChild(el("span", { "aria-hidden": "true" }, "↓"));
          down.disabled = i === tokens.length - 1;
          up.addEventListener("click", function () { move(i, i - 1, "token-up"); });
          down.addEventListener("click", function () { move(i, i + 1, "token-down"); });
          actions.appendChild(up);
          actions.appendChild(down);
        }
        var rm = el("button", { type: "button", className: "token-remove", "aria-label": fill(msg.remove, { name: t.label }) });
        rm.appendChild(el("span", { "aria-hidden": "true" }, "×"));
        rm.addEventListener("click", function () { removeAt(i, true); });
        actions.appendChild(rm);
        list.appendChild(chip);
      });
    }

    // Dragging a chip onto another puts it in that one's place.
    var dragFrom = -1;
    list.addEventListener("dragstart", function (e) {
      var chip = e.target.closest && e.target.closest(".token");
      if (!chip) return;
      dragFrom = Number(chip.dataset.index);
      chip.classList.add("token-dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", chip.querySelector(".token-label").textContent);
    });
    list.addEventListener("dragover", function (e) {
      if (dragFrom < 0) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
    });
    list.addEventListener("drop", function (e) {
      var chip = e.target.closest && e.target.closest(".token");
      if (dragFrom < 0 || !chip) return;
      e.preventDefault();
      var to = Number(chip.dataset.index), from = dragFrom;
      dragFrom = -1;
      move(from, to, null);
    });
    list.addEventListener("dragend", function () {
      dragFrom = -1;
      Array.prototype.forEach.call(list.querySelectorAll(".token-dragging"), function (c) { c.classList.remove("token-dragging"); });
    });

    // The combobox.
    function open() {
      listbox.hidden = options.length === 0;
      input.setAttribute("aria-expanded", String(!listbox.hidden));
    }
    function close() {
      options = [];
      active = -1;
      listbox.textContent = "";
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function setActive(i) {
      active = i;
      Array.prototype.forEach.call(listbox.children, function (o, n) {
        o.setAttribute("aria-selected", String(n === i));
        o.classList.toggle("tokens-active", n === i);
      });
      if (i < 0) { input.removeAttribute("aria-activedescendant"); return; }
      var o = listbox.children[i];
      input.setAttribute("aria-activedescendant", o.id);
      if (o.scrollIntoView) o.scrollIntoView({ block: "nearest" });
    }

    function showOptions(q, found) {
      var typed = q.trim();
      options = found.filter(function (o) { return !has(o.key); });
      var exact = found.concat(tokens).some(function (o) { return lower(o.label) === lower(typed); });
      if (typed && !exact) {
        var text = kind.name === "authors" ? msg.newAuthor : msg.newTag;
        options.push({ label: fill(text, { name: typed }), create: typed });
      }
      listbox.textContent = "";
      options.forEach(function (o, n) {
        var li = el("li", { id: id + "-option-" + n, role: "option", "aria-selected": "false",
          className: o.create !== undefined ? "tokens-option tokens-option-new" : "tokens-option" });
        li.appendChild(el("span", { className: "tokens-option-label" }, o.label));
        if (o.detail) li.appendChild(el("span", { className: "tokens-option-detail" }, o.detail));
        li.addEventListener("click", function () { pick(n); });
        listbox.appendChild(li);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      open();
      say(fill(msg.found, { count: options.length }));
    }

    function suggest() {
      var q = input.value;
      var mine = ++seq;
      if (cache[q]) { showOptions(q, cache[q]); return; }
      getJSON(address(kind.path, q)).then(function (j) {
        cache[q] = kind.results(j);
        if (mine === seq && document.activeElement === input) showOptions(q, cache[q]);
      }).catch(function (err) {
        if (mine !== seq) return;
        complain(err && err.message && !/^\d+$/.test(err.message) ? err.message : msg.unavailable);
        showOptions(q, []);
      });
    }

    function pick(n) {
      var o = options[n];
      if (!o) return;
      close();
      if (o.create !== undefined) {
        if (kind.name === "authors") {
          if ([...o.create].length > limits.nameLength) { complain(msg.nameTooLong); input.focus(); return; }
          newAuthor.ask(o.create);
          return;
        }
        o = { label: o.create, key: lower(o.create) };
      }
      if (add({ label: o.label, detail: o.detail, key: o.key })) input.value = "";
      input.focus();
    }

    // Tags: a comma ends one. Typing or pasting "a, b, c" adds a and b and
    // leaves c to go on with.
    function takeCommas() {
      if (kind.name !== "tags" || input.value.indexOf(",") < 0) return;
      var parts = input.value.split(",");
      var rest = parts.pop();
      parts.forEach(function (p) {
        p = p.trim();
        if (p) add({ label: p, key: lower(p) });
      });
      input.value = rest.replace(/^\s+/, "");
    }

    input.addEventListener("input", function () {
      takeCommas();
      complain("");
      clearTimeout(timer);
      if (input.value.trim() === "") { close(); seq++; return; }
      timer = setTimeout(suggest, 150);
    });

    input.addEventListener("keydown", function (e) {
      var openNow = !listbox.hidden;
      switch (e.key) {
        case "ArrowDown":
          e.preventDefault();
          if (!openNow) {
            // Nothing typed asks nothing: the whole list is no help.
            if (input.value.trim()) { clearTimeout(timer); suggest(); }
            return;
          }
          setActive(active + 1 >= options.length ? 0 : active + 1);
          return;
        case "ArrowUp":
          if (!openNow) return;
          e.preventDefault();
          setActive(active <= 0 ? options.length - 1 : active - 1);
          return;
        case "Enter":
          // Never submits the form from here.
          e.preventDefault();
          if (openNow && active >= 0) { pick(active); return; }
          if (kind.name === "tags" && input.value.trim()) {
            var t = input.value.trim();
            if (add({ label: t, key: lower(t) })) input.value = "";
            close();
            return;
          }
          if (openNow && options.length) pick(0);
          return;
        case "Escape":
          if (openNow) { e.preventDefault(); close(); } else if (input.value) { e.preventDefault(); input.value = ""; }
          return;
        case "Backspace":
          if (input.value === "" && tokens.length) { e.preventDefault(); removeAt(tokens.length - 1, false); }
          return;
        case "Tab":
          close();
          return;
      }
    });

    // Enter in the box never submits the form, even when the key press
    // comes as a keypress of its own (some input methods and drivers
    // send it apart from the keydown).
    box.addEventListener("keypress", function (e) {
      if (e.key === "Enter" && e.target.tagName === "INPUT") e.preventDefault();
    });

    // A click on an option must not take the focus from the box first.
    listbox.addEventListener("mousedown", function (e) { e.preventDefault(); });
    input.addEventListener("blur", function () {
      close();
      // A tag typed but not yet added is added when leaving the box, so
      // saving right after typing keeps it.
      if (kind.name === "tags" && input.value.trim()) {
        var t = input.value.trim();
        if (add({ label: t, key: lower(t) })) input.value = "";
      }
    });

    // A new author: the typed name and an email asked for inline. The
    // author is created when the article is saved (matched by email).
    function newAuthorPanel() {
      var panel = el("div", { className: "tokens-new", role: "group", "aria-labelledby": id + "-new-label" });
      panel.hidden = true;
      var lab = el("label", { id: id + "-new-label", "for": id + "-new-email" });
      var email = el("input", { type: "email", id: id + "-new-email", className: "tokens-new-email", autocomplete: "off",
        "aria-describedby": id + "-new-error", maxlength: "254" });
      var err = el("p", { id: id + "-new-error", className: "field-error", role: "alert" });
      err.hidden = true;
      var ok = el("button", { type: "button", className: "tokens-new-add" }, msg.emailAdd);
      var cancel = el("button", { type: "button", className: "secondary tokens-new-cancel" }, msg.emailCancel);
      var row = el("div", { className: "tokens-new-row" });
      row.appendChild(email);
      row.appendChild(ok);
      row.appendChild(cancel);
      panel.appendChild(lab);
      panel.appendChild(row);
      panel.appendChild(err);
      var name = "";

      function invalid(text) {
        err.textContent = text;
        err.hidden = false;
        email.setAttribute("aria-invalid", "true");
        email.focus();
      }
      function done() {
        panel.hidden = true;
        email.value = "";
        err.hidden = true;
        email.removeAttribute("aria-invalid");
        input.focus();
      }
      function submit() {
        var addr = email.value.trim();
        if (!emailShape.test(addr)) { invalid(msg.emailInvalid); return; }
        if (has(lower(addr))) { invalid(fill(msg.duplicate, { name: addr })); return; }
        if (add({ label: name, detail: addr, key: lower(addr) })) {
          input.value = "";
          done();
        }
      }
      ok.addEventListener("click", submit);
      cancel.addEventListener("click", done);
      email.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); submit(); }
        if (e.key === "Escape") { e.preventDefault(); done(); }
      });
      return {
        panel: panel,
        ask: function (typed) {
          name = typed;
          lab.textContent = fill(msg.emailLabel, { name: typed });
          panel.hidden = false;
          email.focus();
        }
      };
    }

    render();
  }
})();
