package web

import (
	"errors"
	"net/http"
	"net/url"

	"broadsheet/internal/auth/social"
	"broadsheet/internal/reader"
)

// The masthead says who is logged in. Every page around it is the same
// cached HTML for everyone, so the masthead holds a plain link to
// /account and account-menu.js replaces it with this fragment, which is
// personal and therefore never kept by any cache.

// accountMenu is the masthead's account fragment.
type accountMenu struct {
	L        locale
	Name     string // the reader's display name; "" when signed out
	CSRF     string
	Next     string // the page the menu is on, to come back to
	LoginURL string
}

// showAccountMenu is GET /account/menu?next=/the/page: the reader's name
// and a logout button, or a login link, for the masthead.
func (h *Handler) showAccountMenu(w http.ResponseWriter, r *http.Request) {
	lang, explicit := h.chosenLang(r)
	if h.comments == nil {
		h.notFound(w, r)
		return
	}
	base, err := h.layout(r, lang)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	base.L.explicit = explicit
	m := accountMenu{L: base.L, Next: social.SafeNext(r.URL.Query().Get("next"))}
	rd, s, err := h.comments.Sessions.Current(r)
	switch {
	case err == nil:
		m.Name, m.CSRF = rd.DisplayName, s.CSRF
		h.comments.Sessions.KeepHint(w, r, s)
	case errors.Is(err, reader.ErrSignedOut):
		if _, hint := r.Cookie(reader.HintCookieName); hint == nil {
			h.comments.Sessions.ClearHint(w) // the session ended: stop asking
		}
		m.LoginURL = base.L.URL("/account?next=" + url.QueryEscape(m.Next))
	default:
		h.serveError(w, r, lang, err)
		return
	}
	body, err := h.tmpl.renderBlock("account_menu", "account_menu", &m)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	w.Header().Set("Content-Type", htmlType)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(body)
}
