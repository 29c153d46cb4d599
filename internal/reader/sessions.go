package reader

import (
	"context"
	"errors"
	"net/http"
	"time"

	"broadsheet/internal/outage"
)

// CookieName is the session cookie of signed-in browsers.
const CookieName = "bs_session"

// HintCookieName is a cookie scripts may read, set beside the session
// and holding no secret: "1" while the browser is signed in. Every page
// is the same cached HTML for everyone, and the masthead's script asks
// the server who is signed in only when this says someone may be, so
// the readers who are not (most of them) cost the origin nothing.
const HintCookieName = "bs_reader"

// SessionStore keeps sessions and the readers they belong to.
type SessionStore interface {
	CreateSession(ctx context.Context, s Session) error
	Session(ctx context.Context, tokenHash string) (Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	Reader(ctx context.Context, id int64) (Reader, error)
}

// Sessions signs browsers in and out. Cookies are HttpOnly and
// SameSite=Lax (the login comes back from the provider as a top-level
// navigation), and Secure when the site is served over TLS.
type Sessions struct {
	store  SessionStore
	secure bool
	now    func() time.Time
}

// NewSessions makes the session manager; secure marks cookies Secure.
func NewSessions(store SessionStore, secure bool) *Sessions {
	return &Sessions{store: store, secure: secure, now: time.Now}
}

// ErrSignedOut is a request without a valid reader session.
var ErrSignedOut = errors.New("not signed in")

// Current returns the signed-in reader and their session: ErrSignedOut
// without one, another error when the database did not answer.
func (m *Sessions) Current(r *http.Request) (Reader, Session, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return Reader{}, Session{}, ErrSignedOut
	}
	s, err := m.store.Session(r.Context(), HashToken(c.Value))
	if outage.Is(err) {
		// Not signed out: the database could not say. Callers answer 503.
		return Reader{}, Session{}, err
	}
	if err != nil || s.ReaderID == 0 {
		return Reader{}, Session{}, ErrSignedOut
	}
	rd, err := m.store.Reader(r.Context(), s.ReaderID)
	if errors.Is(err, ErrNotFound) {
		return Reader{}, Session{}, ErrSignedOut
	}
	return rd, s, err
}

// SignIn starts a new session for a reader. Any session the browser had
// is ended first, so a session id fixed before login is worthless after.
func (m *Sessions) SignIn(w http.ResponseWriter, r *http.Request, readerID int64) error {
	m.end(r)
	cookie, s := NewSession(m.now())
	s.ReaderID = readerID
	if err := m.store.CreateSession(r.Context(), s); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: cookie, Path: "/", Expires: s.ExpiresAt,
		MaxAge: int(SessionTTL.Seconds()), HttpOnly: true, Secure: m.secure, SameSite: http.SameSiteLaxMode})
	m.setHint(w, s.ExpiresAt)
	return nil
}

// KeepHint sets the signed-in hint for a signed-in browser that lacks
// it: one signed in before the hint existed, or one that lost it, would
// otherwise be shown "Log in" by the masthead until its session ends.
// Called by the personal responses that already know the session.
func (m *Sessions) KeepHint(w http.ResponseWriter, r *http.Request, s Session) {
	if c, err := r.Cookie(HintCookieName); err == nil && c.Value == "1" {
		return
	}
	m.setHint(w, s.ExpiresAt)
}

func (m *Sessions) setHint(w http.ResponseWriter, expires time.Time) {
	left := expires.Sub(m.now())
	if expires.IsZero() || left > SessionTTL {
		left = SessionTTL
	}
	if left <= 0 {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: HintCookieName, Value: "1", Path: "/", Expires: expires,
		MaxAge: int(left.Seconds()), Secure: m.secure, SameSite: http.SameSiteLaxMode})
}

// SignOut ends the browser's session and clears its cookie.
func (m *Sessions) SignOut(w http.ResponseWriter, r *http.Request) {
	m.end(r)
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: m.secure, SameSite: http.SameSiteLaxMode})
	m.ClearHint(w)
}

// ClearHint removes the signed-in hint, for a browser whose session has
// ended on the server (expired, or ended elsewhere).
func (m *Sessions) ClearHint(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: HintCookieName, Value: "", Path: "/", MaxAge: -1,
		Secure: m.secure, SameSite: http.SameSiteLaxMode})
}

func (m *Sessions) end(r *http.Request) {
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" && len(c.Value) <= 100 {
		_ = m.store.DeleteSession(r.Context(), HashToken(c.Value))
	}
}
