// The masthead says who is logged in. The page around it is cached for
// everyone, with a plain link to /account in #masthead-account; this
// script puts the reader's own menu there: their name and a Log out
// button, or a Log in link, both coming back to this page.
(function () {
  "use strict";

  var slot = document.getElementById("masthead-account");
  if (!slot || !window.fetch) return;
  var here = location.pathname + location.search;
  var url = "/account/menu?next=" + encodeURIComponent(here);
  var lang = new URLSearchParams(location.search).get("lang");
  if (lang) url += "&lang=" + encodeURIComponent(lang);
  fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
    .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
    .then(function (html) {
      slot.innerHTML = html;
      slot.classList.add("masthead-account-ready");
    })
    .catch(function () { /* the plain /account link stays */ });
})();
