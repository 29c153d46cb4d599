package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"broadsheet/internal/auth/social"
	"broadsheet/internal/comment"
	"broadsheet/internal/i18n"
	"broadsheet/internal/reader"
)

type accountPage struct {
	layout
	Reader  reader.Reader // zero when signed out: the page offers the logins
	CSRF    string
	Banned  bool
	Error   string
	Notice  string
	Buttons []LoginButton
}

type policyPage struct {
	layout
	Policy   comment.Policy
	Accepted bool
	CSRF     string
	Next     string
	SignedIn bool
}

type historyPage struct {
	layout
	Reader   reader.Reader
	Comments []comment.Comment
	Policy   comment.Policy
}

type messagePage struct {
	layout
	Heading string
	Message string
}

// page renders one of the account pages, never cached.
func (h *Handler) personalPage(w http.ResponseWriter, r *http.Request, status int, name string, data func(base layout) any) {
	lang, explicit := h.chosenLang(r)
	if h.comments == nil {
		h.serveError(w, r, lang, errNotFound)
		return
	}
	base, err := h.layout(r, lang)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	base.L.explicit = explicit
	body, err := h.tmpl.render(name, data(base))
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	w.Header().Set("Content-Type", htmlType)
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// messagePage answers a form post that cannot go back to a page of its
// own with a sentence saying what happened.
func (h *Handler) messagePage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	h.personalPage(w, r, status, "message", func(base layout) any {
		p := messagePage{layout: base, Heading: base.L.T("cannot_do"), Message: msg}
		p.Title = p.Heading
		return p
	})
}

// showAccount is the signed-in reader's account page: display name, data
// export, account deletion and logout.
func (h *Handler) showAccount(w http.ResponseWriter, r *http.Request) {
	h.accountPage(w, r, http.StatusOK, "", "")
}

func (h *Handler) accountPage(w http.ResponseWriter, r *http.Request, status int, errText, notice string) {
	if h.comments == nil {
		h.notFound(w, r)
		return
	}
	rd, s, err := h.comments.Sessions.Current(r)
	if errors.Is(err, reader.ErrSignedOut) {
		// Signed out, the account page is where a reader logs in: the
		// masthead links here, and the login brings them back to next.
		h.personalPage(w, r, status, "account", func(base layout) any {
			p := accountPage{layout: base}
			if h.comments.Buttons != nil {
				p.Buttons = h.comments.Buttons(social.SafeNext(r.URL.Query().Get("next")))
			}
			p.Title = base.L.T("masthead_log_in")
			return p
		})
		return
	}
	if err != nil {
		h.serveError(w, r, h.lang(r), err)
		return
	}
	h.comments.Sessions.KeepHint(w, r, s)
	h.personalPage(w, r, status, "account", func(base layout) any {
		p := accountPage{layout: base, Reader: rd, CSRF: s.CSRF, Banned: rd.Banned(time.Now()), Error: errText, Notice: notice}
		p.Title = base.L.T("account")
		return p
	})
}

// accountAction takes the account page's forms.
func (h *Handler) accountAction(w http.ResponseWriter, r *http.Request) {
	rd, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	ctx, l := r.Context(), h.catalog.For(h.lang(r))
	switch r.PathValue("action") {
	case "name":
		name, err := reader.NormalizeName(r.PostForm.Get("name"))
		if err != nil {
			h.accountPage(w, r, http.StatusUnprocessableEntity, l.T("err_bad_name", "Max", reader.MaxNameLength), "")
			return
		}
		if err := h.comments.Readers.SetReaderName(ctx, rd.ID, name); err != nil {
			h.serveError(w, r, l.Lang, err)
			return
		}
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	case "delete":
		if r.PostForm.Get("confirm") != "yes" {
			h.accountPage(w, r, http.StatusUnprocessableEntity, l.T("err_confirm_delete"), "")
			return
		}
		if err := h.comments.Readers.DeleteReader(ctx, rd.ID); err != nil {
			h.serveError(w, r, l.Lang, err)
			return
		}
		h.comments.Sessions.SignOut(w, r)
		h.messagePage(w, r, http.StatusOK, l.T("account_deleted"))
	case "policy":
		pol, err := h.comments.Service.Policy(ctx)
		if err != nil {
			h.serveError(w, r, l.Lang, err)
			return
		}
		if r.PostForm.Get("version") != pol.Version {
			if wantsJSON(r) {
				writeJSON(w, http.StatusConflict, formAnswer{Error: l.T("err_policy_changed"), Code: "policy_changed"})
				return
			}
			h.messagePage(w, r, http.StatusConflict, l.T("err_policy_changed"))
			return
		}
		if err := h.comments.Readers.AcceptPolicy(ctx, rd.ID, pol.Version); err != nil {
			h.serveError(w, r, l.Lang, err)
			return
		}
		if wantsJSON(r) { // accepted in the comments block, which reloads itself
			writeJSON(w, http.StatusOK, formAnswer{Notice: l.T("policy_accepted")})
			return
		}
		http.Redirect(w, r, social.SafeNext(r.PostForm.Get("next")), http.StatusSeeOther)
	default:
		h.notFound(w, r)
	}
}

// logout ends the reader's session.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.signedIn(w, r); !ok {
		return
	}
	h.comments.Sessions.SignOut(w, r)
	http.Redirect(w, r, social.SafeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

// showPolicy asks the reader to accept the Standards Board Policy.
func (h *Handler) showPolicy(w http.ResponseWriter, r *http.Request) {
	if h.comments == nil {
		h.notFound(w, r)
		return
	}
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.serveError(w, r, h.lang(r), err)
		return
	}
	rd, s, err := h.comments.Sessions.Current(r)
	h.personalPage(w, r, http.StatusOK, "policy", func(base layout) any {
		p := policyPage{layout: base, Policy: pol, Next: social.SafeNext(r.URL.Query().Get("next")), SignedIn: err == nil,
			CSRF: s.CSRF, Accepted: err == nil && rd.PolicyVersion == pol.Version}
		p.Title = base.L.T("policy_name")
		return p
	})
}

// showReader is a reader's public comment history.
func (h *Handler) showReader(w http.ResponseWriter, r *http.Request) {
	if h.comments == nil {
		h.notFound(w, r)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return
	}
	rd, err := h.comments.Readers.Reader(r.Context(), id)
	if err != nil {
		if errors.Is(err, reader.ErrNotFound) {
			h.notFound(w, r)
			return
		}
		h.serveError(w, r, h.lang(r), err)
		return
	}
	list, err := h.comments.Readers.ReaderComments(r.Context(), id, true, 0, 100)
	if err != nil {
		h.serveError(w, r, h.lang(r), err)
		return
	}
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.serveError(w, r, h.lang(r), err)
		return
	}
	h.personalPage(w, r, http.StatusOK, "reader", func(base layout) any {
		p := historyPage{layout: base, Reader: rd, Comments: list, Policy: pol}
		p.Title = base.L.T("comments_by", "Name", rd.DisplayName)
		return p
	})
}

func secondsOf(n int) time.Duration { return time.Duration(n) * time.Second }

// waitText says how long to wait in the reader's language.
func waitText(l *i18n.Translator, d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	switch {
	case s < 120:
		return l.N("wait_seconds", max(s, 1))
	case s < 7200:
		return l.N("wait_minutes", (s+59)/60)
	}
	return l.N("wait_hours", (s+3599)/3600)
}

// LoginFailed is the page of a social login that did not succeed. An
// empty message means a failure on our side, told without detail.
func (h *Handler) LoginFailed(w http.ResponseWriter, r *http.Request, status int, message string) {
	l := h.catalog.For(h.lang(r))
	switch {
	case message == "":
		message = l.T("server_error_text")
	case l.Lang != "en":
		// The login package explains in English; other languages get the
		// gist by status.
		switch {
		case status == http.StatusServiceUnavailable:
			message = l.T("login_failed_unavailable")
		case status >= 500:
			message = l.T("login_failed_provider")
		default:
			message = l.T("login_failed_refused")
		}
	}
	h.personalPage(w, r, status, "message", func(base layout) any {
		p := messagePage{layout: base, Heading: l.T("login_failed"), Message: message}
		p.Title = p.Heading
		return p
	})
}
