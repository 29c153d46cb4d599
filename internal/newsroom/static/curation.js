// curation.js arranges a front's pinned stories in place: the buttons
// move, remove and add without a round trip, a story is dragged by its
// handle (pointer events: mouse, pen and touch) or by the row (HTML5 drag
// and drop), moved with the keyboard (Space lifts, arrows move, Space or
// Enter drops, Escape puts it back), and stories to add are searched
// for through the JSON search. Nothing is stored until Save posts the
// form, whose hidden pick fields follow the list's order. Without this
// script every button posts the form and the server draws the change.
(function () {
  "use strict";

  var root = document.getElementById("curation");
  if (!root || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var form = document.getElementById("curation-form");
  var list = document.getElementById("curation-list");
  var candidates = document.getElementById("curation-candidates");
  var live = document.getElementById("curation-live");
  var none = document.getElementById("curation-none");
  var unsaved = document.getElementById("curation-unsaved");
  var countText = document.getElementById("curation-count");
  var full = document.getElementById("curation-full");
  var searchForm = document.getElementById("curation-search");
  var searchBox = document.getElementById("curation-q");
  var searchProblem = document.getElementById("curation-q-error");
  var foundTitle = document.getElementById("curation-found-title");
  var foundEmpty = document.getElementById("curation-found-empty");
  var limit = parseInt(root.getAttribute("data-limit"), 10);
  // A page the server drew with a change not yet saved stays flagged.
  var dirty = !unsaved.hidden;
  var submitting = false;

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }
  function msg(name, values) {
    return fill(root.getAttribute("data-msg-" + name) || "", values || {});
  }
  function label(name, values) {
    return fill(root.getAttribute("data-label-" + name) || "", values || {});
  }
  function announce(text) {
    live.textContent = text;
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") {
        node.textContent = attrs[k];
      } else {
        node.setAttribute(k, attrs[k]);
      }
    });
    (children || []).forEach(function (c) {
      if (c) {
        node.appendChild(c);
      }
    });
    return node;
  }

  function rows() {
    return Array.prototype.filter.call(list.children, function (n) {
      return n.classList.contains("curation-item");
    });
  }
  function headline(item) {
    var a = item.querySelector(".curation-headline");
    return a ? a.textContent : "";
  }
  function position(item) {
    return rows().indexOf(item) + 1;
  }

  // refresh makes the numbers, the buttons' states and the count follow
  // the list's order.
  function refresh() {
    var all = rows();
    all.forEach(function (row, i) {
      row.querySelector(".curation-pos").textContent = String(i + 1);
      row.querySelector('button[value^="up:"]').disabled = i === 0;
      row.querySelector('button[value^="down:"]').disabled = i === all.length - 1;
    });
    none.hidden = all.length > 0;
    countText.textContent = msg("count", {count: all.length});
    full.hidden = true;
    var found = candidates.querySelectorAll(".curation-item").length;
    foundEmpty.hidden = found > 0;
  }

  function markDirty() {
    dirty = true;
    unsaved.hidden = false;
  }

  window.addEventListener("beforeunload", function (e) {
    if (dirty && !submitting) {
      e.preventDefault();
      e.returnValue = msg("leave");
      return e.returnValue;
    }
  });
  form.addEventListener("submit", function () {
    submitting = true;
  });

  // Rows and candidates are built the way the server draws them.
  // A row's handle is also the keyboard's; a candidate's is for pointers
  // only (the keyboard has its Add button).
  function handleFor(title) {
    return el("button", {type: "button", "class": "curation-handle", "aria-describedby": "curation-keys",
      "aria-label": label("handle", {headline: title})}, [el("span", {"aria-hidden": "true", text: "⠿"})]);
  }
  function candidateHandle() {
    return el("button", {type: "button", "class": "curation-handle", tabindex: "-1", "aria-hidden": "true"}, [el("span", {text: "⠿"})]);
  }
  function opButton(verb, id, title, outside) {
    var attrs = {type: "submit", "class": "secondary", name: "op", value: verb + ":" + id,
      "aria-label": label(verb + "-long", {headline: title}), text: label(verb)};
    if (outside) {
      attrs.form = "curation-form";
    }
    return el("button", attrs);
  }

  function toRow(item) {
    var id = item.getAttribute("data-id");
    var title = headline(item);
    var row = el("li", {"class": "curation-item", "data-id": id, draggable: "true"}, [
      handleFor(title),
      el("span", {"class": "curation-pos", "aria-hidden": "true"}),
      item.querySelector(".curation-thumb"),
      item.querySelector(".curation-text"),
      el("span", {"class": "curation-actions"}, [opButton("up", id, title), opButton("down", id, title), opButton("remove", id, title)]),
      el("input", {type: "hidden", name: "pick", value: id})
    ]);
    return row;
  }
  function toCandidate(item) {
    var id = item.getAttribute("data-id");
    var title = headline(item);
    return el("li", {"class": "curation-item curation-candidate", "data-id": id, draggable: "true"}, [
      candidateHandle(),
      item.querySelector(".curation-thumb"),
      item.querySelector(".curation-text"),
      el("span", {"class": "curation-actions"}, [opButton("add", id, title, true)])
    ]);
  }
  function candidateFromResult(a) {
    var thumb = el("span", {"class": "curation-thumb"});
    if (a.image) {
      var img = el("img", {src: a.image, alt: "", width: "64", height: "48", loading: "lazy", decoding: "async"});
      if (a.srcset) {
        img.setAttribute("srcset", a.srcset);
        img.setAttribute("sizes", "4rem");
      }
      thumb.appendChild(img);
    }
    var meta = el("span", {"class": "curation-meta"});
    if (a.section) {
      meta.appendChild(el("span", {"class": "curation-section", text: a.section}));
      meta.appendChild(document.createTextNode(" · "));
    }
    meta.appendChild(el("time", {datetime: a.published_iso, text: a.published}));
    var text = el("span", {"class": "curation-text"}, [el("a", {"class": "curation-headline", href: a.url, text: a.headline}), meta]);
    var shell = el("li", {"data-id": String(a.id)}, [thumb, text]);
    return toCandidate(shell);
  }

  // add pins a candidate at place index (0-based; the end when past it).
  function add(item, index) {
    if (rows().length >= limit) {
      full.hidden = false;
      announce(msg("full"));
      return null;
    }
    var row = toRow(item);
    var all = rows();
    list.insertBefore(row, index < all.length ? all[index] : null);
    item.parentNode.removeChild(item);
    refresh();
    markDirty();
    announce(msg("added", {pos: position(row), count: rows().length}));
    return row;
  }
  function remove(row) {
    var cand = toCandidate(row);
    candidates.insertBefore(cand, candidates.firstChild);
    row.parentNode.removeChild(row);
    refresh();
    markDirty();
    announce(msg("removed", {count: rows().length}));
  }
  function moveBy(row, step) {
    var all = rows();
    var i = all.indexOf(row);
    var j = i + step;
    if (j < 0 || j >= all.length) {
      return false;
    }
    list.insertBefore(row, step < 0 ? all[j] : all[j].nextSibling);
    refresh();
    return true;
  }

  // The page's buttons, in place.
  root.addEventListener("click", function (e) {
    var b = e.target.closest('button[name="op"]');
    if (!b || b.value === "save") {
      return;
    }
    e.preventDefault();
    var cut = b.value.indexOf(":");
    var verb = b.value.slice(0, cut);
    var item = b.closest(".curation-item");
    if (!item) {
      return;
    }
    if (verb === "up" || verb === "down") {
      if (moveBy(item, verb === "up" ? -1 : 1)) {
        markDirty();
        announce(msg("moved", {pos: position(item), count: rows().length}));
      }
      var again = item.querySelector('button[value^="' + verb + ':"]');
      (again.disabled ? item.querySelector('button[value^="' + (verb === "up" ? "down" : "up") + ':"]') : again).focus();
    } else if (verb === "remove") {
      var index = rows().indexOf(item);
      remove(item);
      var next = rows()[Math.min(index, rows().length - 1)];
      (next ? next.querySelector(".curation-handle") : document.getElementById("curation-save")).focus();
    } else if (verb === "add") {
      var after = item.nextElementSibling || item.previousElementSibling;
      var row = add(item, rows().length);
      if (row) {
        (after ? after.querySelector('button[name="op"]') : row.querySelector(".curation-handle")).focus();
      }
    }
  });

  // The keyboard: a row's handle lifts, moves and drops it.
  var lifted = null; // {row, from}
  var moving = false;
  function liftedMove(step) {
    moving = true;
    var moved = moveBy(lifted.row, step);
    lifted.row.querySelector(".curation-handle").focus();
    moving = false;
    if (moved) {
      announce(msg("moved", {pos: position(lifted.row), count: rows().length}));
    }
  }
  function drop(cancel) {
    var row = lifted.row;
    var from = lifted.from;
    lifted = null;
    row.classList.remove("is-lifted");
    if (cancel) {
      var rest = rows().filter(function (r) {
        return r !== row;
      });
      moving = true;
      list.insertBefore(row, from < rest.length ? rest[from] : null);
      row.querySelector(".curation-handle").focus();
      moving = false;
      refresh();
      announce(msg("cancelled", {pos: position(row), count: rows().length}));
      return;
    }
    if (position(row) - 1 !== from) {
      markDirty();
    }
    announce(msg("dropped", {pos: position(row), count: rows().length}));
  }
  list.addEventListener("keydown", function (e) {
    var h = e.target.closest(".curation-handle");
    if (!h) {
      return;
    }
    var row = h.closest(".curation-item");
    if (!lifted) {
      if (e.key === " " || e.key === "Spacebar") {
        e.preventDefault();
        lifted = {row: row, from: position(row) - 1};
        row.classList.add("is-lifted");
        announce(msg("lifted", {headline: headline(row), pos: position(row), count: rows().length}));
      }
      return;
    }
    if (lifted.row !== row) {
      return;
    }
    switch (e.key) {
    case "ArrowUp":
    case "ArrowLeft":
      e.preventDefault();
      liftedMove(-1);
      break;
    case "ArrowDown":
    case "ArrowRight":
      e.preventDefault();
      liftedMove(1);
      break;
    case " ":
    case "Spacebar":
    case "Enter":
      e.preventDefault();
      drop(false);
      break;
    case "Escape":
    case "Esc":
      e.preventDefault();
      drop(true);
      break;
    }
  });
  list.addEventListener("focusout", function (e) {
    if (lifted && !moving && e.target.closest(".curation-item") === lifted.row) {
      drop(false);
    }
  });

  // Dragging, by a handle with any pointer or by a row with the mouse.
  // A pinned row moves as the pointer moves; a candidate leaves a
  // placeholder in the list where it will go.
  var drag = null; // {item, candidate, from, placeholder, pointerId}
  var placeholder = el("li", {"class": "curation-placeholder", "aria-hidden": "true"});

  function indexAt(y, skip) {
    var all = rows().filter(function (r) {
      return r !== skip;
    });
    for (var i = 0; i < all.length; i++) {
      var box = all[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) {
        return i;
      }
    }
    return all.length;
  }
  function overList(x, y) {
    var box = list.getBoundingClientRect();
    var slack = 48; // an empty list is a thin target
    return x >= box.left - slack && x <= box.right + slack && y >= box.top - slack && y <= box.bottom + slack;
  }
  function dragTo(x, y) {
    if (!drag.candidate) {
      if (!overList(x, y)) {
        return; // a row dragged off the list stays where it was last
      }
      var i = indexAt(y, drag.item);
      var rest = rows().filter(function (r) {
        return r !== drag.item;
      });
      var before = i < rest.length ? rest[i] : null;
      if (drag.item.nextElementSibling !== before || (before === null && list.lastElementChild !== drag.item)) {
        list.insertBefore(drag.item, before);
        refresh();
      }
      return;
    }
    if (overList(x, y) && rows().length >= limit) {
      full.hidden = false;
      return;
    }
    if (overList(x, y)) {
      var k = indexAt(y, null);
      var all = rows();
      list.insertBefore(placeholder, k < all.length ? all[k] : null);
      list.classList.add("is-target");
    } else {
      dropPlaceholder();
    }
  }
  function dropPlaceholder() {
    if (placeholder.parentNode) {
      placeholder.parentNode.removeChild(placeholder);
    }
    list.classList.remove("is-target");
  }
  function startDrag(item, pointerId) {
    drag = {item: item, candidate: item.classList.contains("curation-candidate"), from: position(item) - 1, pointerId: pointerId};
    item.classList.add("is-dragging");
  }
  function endDrag(cancel) {
    var d = drag;
    drag = null;
    d.item.classList.remove("is-dragging");
    if (d.candidate) {
      var index = rows().indexOf(placeholder.nextElementSibling);
      var there = placeholder.parentNode === list;
      dropPlaceholder();
      if (there && !cancel) {
        add(d.item, index < 0 ? rows().length : index);
      }
      return;
    }
    if (cancel) {
      var rest = rows().filter(function (r) {
        return r !== d.item;
      });
      list.insertBefore(d.item, d.from < rest.length ? rest[d.from] : null);
      refresh();
      return;
    }
    if (position(d.item) - 1 !== d.from) {
      markDirty();
      announce(msg("dropped", {pos: position(d.item), count: rows().length}));
    }
  }

  root.addEventListener("pointerdown", function (e) {
    var h = e.target.closest(".curation-handle");
    if (!h || drag || e.button !== 0) {
      return;
    }
    e.preventDefault(); // no text selection, no native drag of the row
    startDrag(h.closest(".curation-item"), e.pointerId);
    try {
      h.setPointerCapture(e.pointerId);
    } catch (err) {
      // Without capture the document still hears the pointer.
    }
  });
  document.addEventListener("pointermove", function (e) {
    if (drag && drag.pointerId === e.pointerId) {
      e.preventDefault();
      dragTo(e.clientX, e.clientY);
    }
  });
  document.addEventListener("pointerup", function (e) {
    if (drag && drag.pointerId === e.pointerId) {
      endDrag(false);
    }
  });
  document.addEventListener("pointercancel", function (e) {
    if (drag && drag.pointerId === e.pointerId) {
      endDrag(true);
    }
  });

  root.addEventListener("dragstart", function (e) {
    var item = e.target.closest && e.target.closest(".curation-item");
    if (!item || drag) {
      return;
    }
    startDrag(item, null);
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", item.getAttribute("data-id"));
  });
  document.addEventListener("dragover", function (e) {
    if (!drag || drag.pointerId !== null) {
      return;
    }
    if (list.contains(e.target) || e.target === list || overList(e.clientX, e.clientY)) {
      e.preventDefault(); // the list takes the drop
      e.dataTransfer.dropEffect = "move";
    }
    dragTo(e.clientX, e.clientY);
  });
  document.addEventListener("drop", function (e) {
    if (drag && drag.pointerId === null) {
      e.preventDefault();
      endDrag(false);
    }
  });
  root.addEventListener("dragend", function () {
    if (drag && drag.pointerId === null) {
      endDrag(placeholder.parentNode !== list);
    }
  });

  // Search to add: the results replace the candidates in place.
  function showProblem(text) {
    searchProblem.textContent = text;
    searchProblem.hidden = !text;
    if (text) {
      searchBox.setAttribute("aria-invalid", "true");
      searchBox.setAttribute("aria-describedby", "curation-q-error");
    } else {
      searchBox.removeAttribute("aria-invalid");
    }
  }
  function search(q) {
    var params = new URLSearchParams();
    params.set("q", q);
    if (root.hasAttribute("data-section")) {
      params.set("section", root.getAttribute("data-section"));
    }
    rows().forEach(function (r) {
      params.append("pick", r.getAttribute("data-id"));
    });
    var base = root.getAttribute("data-search");
    announce(msg("searching"));
    root.setAttribute("aria-busy", "true");
    return fetch(base + (base.indexOf("?") < 0 ? "?" : "&") + params.toString(), {
      credentials: "same-origin", headers: {Accept: "application/json"}
    }).then(function (res) {
      return res.json().then(function (body) {
        return {ok: res.ok, body: body};
      });
    }).then(function (answer) {
      if (!answer.ok) {
        showProblem(answer.body.message || msg("search-failed"));
        announce(answer.body.message || msg("search-failed"));
        return;
      }
      showProblem("");
      while (candidates.firstChild) {
        candidates.removeChild(candidates.firstChild);
      }
      answer.body.articles.forEach(function (a) {
        candidates.appendChild(candidateFromResult(a));
      });
      foundTitle.textContent = q ? msg("results", {query: q}) : msg("recent");
      foundEmpty.textContent = q ? msg("no-results") : msg("no-recent");
      refresh();
      announce(foundTitle.textContent + ": " + answer.body.articles.length);
    }).catch(function () {
      showProblem(msg("search-failed"));
    }).then(function () {
      root.removeAttribute("aria-busy");
    });
  }
  searchForm.addEventListener("submit", function (e) {
    e.preventDefault();
    search(searchBox.value.trim());
  });
  var clear = document.getElementById("curation-clear");
  if (clear) {
    clear.addEventListener("click", function (e) {
      e.preventDefault();
      searchBox.value = "";
      clear.parentNode.hidden = true;
      search("");
    });
  }

  // The handles are the script's: without it they would do nothing.
  Array.prototype.forEach.call(root.querySelectorAll(".curation-handle"), function (h) {
    h.hidden = false;
  });
  Array.prototype.forEach.call(root.querySelectorAll(".curation-item"), function (item) {
    item.draggable = true;
  });
  root.classList.add("has-script");
  refresh();
})();
