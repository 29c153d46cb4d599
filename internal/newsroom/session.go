package newsroom

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/comment"
	"broadsheet/internal/outage"
	"broadsheet/internal/reader"
)

// CookieName is the staff session cookie. It is scoped to /newsroom and
// SameSite=Strict: the reader site never sees it, and no other site can
// make a browser send it.
const CookieName = "bs_staff"

// SessionTTL is how long a staff session lasts: a working day, shorter
// than a reader's, because a staff session can ban and delete.
const SessionTTL = 12 * time.Hour

// maxForm bounds a form post; the longest field is a 1,000-character reason.
const maxForm = 64 << 10

// visit is a signed-in staff member's request.
type visit struct {
	Staff   account.Staff
	Session reader.Session
	L       locale
}

// moderator is the staff member as the comment service logs them.
func (v *visit) moderator() comment.Moderator {
	return comment.Moderator{ID: v.Staff.ID, Name: v.Staff.Name}
}

type staffFunc func(w http.ResponseWriter, r *http.Request, v *visit)

// staff is the one adapter in front of every page behind the login: it
// finds the session (signed out: off to the login page), checks the CSRF
// token of every POST, then the role.
func (h *handler) staff(may func(account.Role) bool, next staffFunc) http.HandlerFunc {
	return h.staffSized(may, maxForm, next)
}

// staffSized is staff for forms whose body may be larger than maxForm,
// such as the article editor's.
func (h *handler) staffSized(may func(account.Role) bool, limit int64, next staffFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l, err := h.locale(r)
		if err != nil {
			h.serverError(w, r, l, err)
			return
		}
		st, sess, err := h.current(r)
		if errors.Is(err, errSignedOut) {
			target := "/newsroom/login"
			if r.Method == http.MethodGet {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, l.URL(target), http.StatusSeeOther)
			return
		}
		if err != nil {
			h.serverError(w, r, l, err)
			return
		}
		v := &visit{Staff: st, Session: sess, L: l}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if err := r.ParseForm(); err != nil {
				h.message(w, r, l, v, http.StatusRequestEntityTooLarge, l.T("newsroom_form_too_large_title"), l.T("newsroom_form_too_large"))
				return
			}
			if !sess.CheckCSRF(r.PostForm.Get("csrf")) {
				h.message(w, r, l, v, http.StatusForbidden, l.T("newsroom_csrf_title"), l.T("newsroom_csrf"))
				return
			}
		}
		if !may(st.Role) {
			h.message(w, r, l, v, http.StatusForbidden, l.T("newsroom_forbidden_title"),
				l.T("newsroom_forbidden", "Role", l.T("newsroom_role_"+string(st.Role))))
			return
		}
		next(w, r, v)
	}
}

var errSignedOut = errors.New("newsroom: not signed in")

// current finds the staff member signed in on this browser. The role is
// read from the staff table on every request, so a change of role or a
// removed account takes effect at once.
func (h *handler) current(r *http.Request) (account.Staff, reader.Session, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return account.Staff{}, reader.Session{}, errSignedOut
	}
	s, err := h.store.Session(r.Context(), reader.HashToken(c.Value))
	if outage.Is(err) {
		return account.Staff{}, reader.Session{}, err // not signed out: the database could not say
	}
	if err != nil || s.StaffID == 0 {
		return account.Staff{}, reader.Session{}, errSignedOut
	}
	st, err := h.store.StaffByID(r.Context(), s.StaffID)
	if errors.Is(err, account.ErrNoStaff) {
		return account.Staff{}, reader.Session{}, errSignedOut
	}
	if err != nil {
		return account.Staff{}, reader.Session{}, err
	}
	return st, s, nil
}

// signIn ends the browser's old staff session, if any, and starts a new
// one: a session id planted before the login is worthless after it.
func (h *handler) signIn(w http.ResponseWriter, r *http.Request, staffID int64) error {
	h.endSession(r)
	cookie, s := reader.NewSession(h.now())
	s.StaffID, s.ExpiresAt = staffID, s.CreatedAt.Add(SessionTTL)
	if err := h.store.CreateSession(r.Context(), s); err != nil {
		return err
	}
	http.SetCookie(w, h.cookie(CookieName, "/newsroom", cookie, SessionTTL))
	return nil
}

func (h *handler) endSession(r *http.Request) {
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" && len(c.Value) <= 100 {
		_ = h.store.DeleteSession(r.Context(), reader.HashToken(c.Value))
	}
}

// cookie makes one of the newsroom's cookies; maxAge < 0 deletes it.
func (h *handler) cookie(name, path, value string, maxAge time.Duration) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: path, MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: h.cfg.Secure, SameSite: http.SameSiteStrictMode}
	if maxAge < 0 {
		c.MaxAge, c.Value = -1, ""
	}
	return c
}

// safeNext is where to go after logging in: a newsroom path of this site,
// never another site ("//evil.example", "/\evil.example", "https://…").
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(next, "/newsroom/") ||
		strings.ContainsAny(next, "\\\r\n\t") || strings.HasPrefix(next, "//") || strings.Contains(u.Path, "/..") {
		return "/newsroom/"
	}
	return next
}
