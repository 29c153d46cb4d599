// The reader's settings: dark or light, and the text size, kept in
// localStorage so that they hold on every page.
//
// This file is loaded in <head> without defer, on purpose: the part at the
// top runs before the body is drawn, so a page opens in the reader's theme
// and size at once, with no flash of the other theme and no jump when the
// text grows. The CSP allows only scripts from this site (script-src
// 'self'), so this cannot be an inline script; served under its checksum,
// it is fetched once a year, and it is small. The rest waits for the page.
(function () {
  "use strict";
  var root = document.documentElement;
  var sizes = ["s", "m", "l", "xl"]; // "m" is the stylesheet's own size
  function stored(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; } // storage may be off
  }
  function store(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* the choice lasts this page only */ }
  }
  var theme = stored("broadsheet-theme");
  if (theme === "dark" || theme === "light") root.setAttribute("data-theme", theme);
  var size = stored("broadsheet-text-size");
  if (size && size !== "m" && sizes.indexOf(size) >= 0) root.setAttribute("data-text-size", size);
  // The controls below work only with this script; the stylesheet shows
  // them for .js, which is set before the body is drawn (no shift).
  root.classList.add("js");

  function dark() {
    var t = root.getAttribute("data-theme");
    if (t) return t === "dark";
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function ready() {
    var toggle = document.querySelector(".theme-toggle");
    if (toggle) {
      var show = function () { toggle.setAttribute("aria-pressed", dark() ? "true" : "false"); };
      show();
      toggle.addEventListener("click", function () {
        var next = dark() ? "light" : "dark";
        root.setAttribute("data-theme", next);
        store("broadsheet-theme", next);
        show();
      });
      if (window.matchMedia) {
        var mq = matchMedia("(prefers-color-scheme: dark)");
        if (mq.addEventListener) mq.addEventListener("change", show);
      }
    }

    var buttons = document.querySelectorAll(".text-size");
    var current = function () {
      var s = root.getAttribute("data-text-size") || "m";
      return sizes.indexOf(s) < 0 ? 1 : sizes.indexOf(s);
    };
    var showSize = function () {
      var i = current();
      for (var j = 0; j < buttons.length; j++) {
        var step = Number(buttons[j].getAttribute("data-step"));
        buttons[j].disabled = i + step < 0 || i + step >= sizes.length;
      }
    };
    for (var k = 0; k < buttons.length; k++) {
      buttons[k].addEventListener("click", function (ev) {
        var i = current() + Number(ev.currentTarget.getAttribute("data-step"));
        if (i < 0 || i >= sizes.length) return;
        if (sizes[i] === "m") root.removeAttribute("data-text-size");
        else root.setAttribute("data-text-size", sizes[i]);
        store("broadsheet-text-size", sizes[i]);
        showSize();
      });
    }
    showSize();

    // The sections menu is a <details>, which works without this script;
    // with it, Escape or a tap elsewhere closes the menu.
    var menu = document.querySelector(".nav-menu");
    if (menu) {
      menu.addEventListener("keydown", function (ev) {
        if (ev.key === "Escape" && menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
      document.addEventListener("click", function (ev) {
        if (menu.open && !menu.contains(ev.target)) menu.open = false;
      });
    }

    var print = document.querySelector(".print-button");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
