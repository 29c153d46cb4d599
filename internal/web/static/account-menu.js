// The masthead says who is logged in. The page around it is cached for
// everyone, with a "Log in" link to /account in #masthead-account (most
// readers are not logged in, so for them nothing moves once this runs);
// this script makes that link come back to this page, or puts the
// reader's own menu there: their name and a Log out button.
(function () {
  "use strict";

  var slot = document.getElementById("masthead-account");
  if (!slot || !window.fetch) return;
  var here = location.pathname + location.search;
  var lang = new URLSearchParams(location.search).get("lang");
  var langParam = lang ? "&lang=" + encodeURIComponent(lang) : "";

  // Without the signed-in hint cookie (set beside the session, no
  // secret in it) nobody is signed in here: the Log in link is made on
  // the spot, and the server is not asked.
  if (!/(?:^|;\s*)bs_reader=1(?:;|$)/.test(document.cookie)) {
    var link = slot.querySelector("a");
    if (link) {
      link.href = "/account?next=" + encodeURIComponent(here) + langParam;
      link.className = "account-login";
      if (slot.dataset.logIn) link.textContent = slot.dataset.logIn;
    }
    slot.classList.add("masthead-account-ready");
    return;
  }
  var url = "/account/menu?next=" + encodeURIComponent(here) + langParam;
  fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
    .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
    .then(function (html) {
      slot.innerHTML = html;
      slot.classList.add("masthead-account-ready");
    })
    .catch(function () { /* the plain /account link stays */ });
})();
