package newsroom

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/http/request"
)

// loginCSRFCookie holds the login form's CSRF token. There is no session
// before the login to keep a token in, so the form uses a double-submit
// cookie: the token is both in this cookie and in the form, and a post
// counts only when they agree. Another site can make a browser post the
// form, but can neither read nor set this cookie (SameSite=Strict,
// HttpOnly, scoped to the login path).
const loginCSRFCookie = "bs_login_csrf"

const loginCSRFTTL = 2 * time.Hour

type loginPage struct {
	page
	Email  string
	Next   string
	Errors map[string]string // per field: email, password
	Error  string            // the whole form: wrong credentials, lockout
}

// GET /newsroom/login?next=/newsroom/… — the login form; a signed-in
// browser goes straight on.
func (h *handler) showLogin(w http.ResponseWriter, r *http.Request) {
	l, err := h.locale(r)
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	next := safeNext(r.URL.Query().Get("next"))
	if _, _, err := h.current(r); err == nil {
		redirect(w, r, l, next)
		return
	}
	h.renderLogin(w, r, l, http.StatusOK, loginPage{Next: next})
}

func (h *handler) renderLogin(w http.ResponseWriter, r *http.Request, l locale, status int, p loginPage) {
	token := ""
	if c, err := r.Cookie(loginCSRFCookie); err == nil && validToken(c.Value) {
		token = c.Value // keep it, so a second open login tab still works
	} else {
		token = newToken()
	}
	http.SetCookie(w, h.cookie(loginCSRFCookie, "/newsroom/login", token, loginCSRFTTL))
	p.page = h.page(r, l, nil, token, l.T("newsroom_login_title"), "")
	h.render(w, r, status, "login", p)
}

// readLoginForm reads a form posted before anyone is signed in (the
// login's two steps): within maxForm, with the double-submit CSRF token
// of the login page. A refusal is answered here.
func (h *handler) readLoginForm(w http.ResponseWriter, r *http.Request) (locale, bool) {
	l, err := h.locale(r)
	if err != nil {
		h.serverError(w, r, l, err)
		return l, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		h.message(w, r, l, nil, http.StatusRequestEntityTooLarge, l.T("newsroom_form_too_large_title"), l.T("newsroom_form_too_large"))
		return l, false
	}
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || !validToken(c.Value) || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostForm.Get("csrf"))) != 1 {
		h.message(w, r, l, nil, http.StatusForbidden, l.T("newsroom_csrf_title"), l.T("newsroom_login_csrf"))
		return l, false
	}
	return l, true
}

// POST /newsroom/login — email and password. Unknown emails, wrong
// passwords, accounts without a password and switched-off accounts (with
// the right password or not) get the same answer, after the same work,
// and each counts towards the lockout.
func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	l, ok := h.readLoginForm(w, r)
	if !ok {
		return
	}
	email, pw := strings.TrimSpace(r.PostForm.Get("email")), r.PostForm.Get("password")
	p := loginPage{Email: email, Next: safeNext(r.PostForm.Get("next")), Errors: map[string]string{}}
	if email == "" {
		p.Errors["email"] = l.T("newsroom_login_email_missing")
	}
	if pw == "" {
		p.Errors["password"] = l.T("newsroom_login_password_missing")
	}
	if len(p.Errors) > 0 {
		h.renderLogin(w, r, l, http.StatusUnprocessableEntity, p)
		return
	}
	key := limitKey(email)
	if wait, err := h.emailLocked(r.Context(), key); err != nil || wait > 0 {
		h.refuseLimited(w, r, l, p, wait, true, err)
		return
	}
	attempt, wait, err := h.startNetLogin(r.Context(), request.ClientIP(r))
	if err != nil || wait > 0 {
		h.refuseLimited(w, r, l, p, wait, false, err)
		return
	}
	st, cred, ok, err := h.checkPassword(r, key, pw)
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	if !ok {
		h.refuseFailed(w, r, l, p, key)
		return
	}
	if err := h.forgetNetLogin(r.Context(), attempt); err != nil {
		h.serverError(w, r, l, err)
		return
	}
	if cred.TOTPSecret != "" {
		h.askForCode(w, r, l, p, key, cred)
		return
	}
	h.finishLogin(w, r, l, st, key, p.Next)
}

// refuseLimited answers a login refused by a lock, or the error met
// while looking for one.
func (h *handler) refuseLimited(w http.ResponseWriter, r *http.Request, l locale, p loginPage, wait time.Duration, byEmail bool, err error) {
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	h.lockedOut(w, r, l, p, wait, byEmail)
}

// refuseLocked answers a login for a locked email, or from an address
// with too many failures, and reports whether it did.
func (h *handler) refuseLocked(w http.ResponseWriter, r *http.Request, l locale, p loginPage, email string) bool {
	wait, err := h.emailLocked(r.Context(), email)
	if err != nil {
		h.serverError(w, r, l, err)
		return true
	}
	if wait > 0 {
		h.lockedOut(w, r, l, p, wait, true)
		return true
	}
	wait, err = h.netLocked(r.Context(), request.ClientIP(r))
	if err != nil {
		h.serverError(w, r, l, err)
		return true
	}
	if wait > 0 {
		h.lockedOut(w, r, l, p, wait, false)
		return true
	}
	return false
}

// refuseFailed counts a wrong password against the email (the address
// counted it already, see startNetLogin) and answers it: 401 with the one
// message for every wrong answer, or 429 if this failure locked the email
// or the address.
func (h *handler) refuseFailed(w http.ResponseWriter, r *http.Request, l locale, p loginPage, email string) {
	wait, byEmail, err := h.loginFailed(r.Context(), email, request.ClientIP(r), true)
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	if wait > 0 {
		h.lockedOut(w, r, l, p, wait, byEmail)
		return
	}
	p.Error = l.T("newsroom_login_failed")
	h.renderLogin(w, r, l, http.StatusUnauthorized, p)
}

// finishLogin signs a staff member in once every factor is checked: the
// email's failures are forgotten and a fresh session starts.
func (h *handler) finishLogin(w http.ResponseWriter, r *http.Request, l locale, st account.Staff, email, next string) {
	if err := h.store.ClearLoginFailures(r.Context(), email); err != nil {
		h.serverError(w, r, l, err)
		return
	}
	if err := h.signIn(w, r, st.ID); err != nil {
		h.serverError(w, r, l, err)
		return
	}
	http.SetCookie(w, h.cookie(loginCSRFCookie, "/newsroom/login", "", -1))
	http.SetCookie(w, h.cookie(pendingCookie, "/newsroom/login", "", -1))
	h.logger.InfoContext(r.Context(), "staff login", "request_id", request.ID(r.Context()), "staff_id", st.ID)
	h.audit.Record(r.Context(), st, "staff.login", "staff", st.ID, st.Email, nil, nil)
	redirect(w, r, l, next)
}

// checkPassword finds the account and verifies the password; ok is false
// for a switched-off account even when the password is right. Whatever
// the answer, it costs one lookup and one hash check, so its time says
// neither whether the email has an account nor whether a switched-off
// account's password was guessed. A stored hash made with older
// parameters is replaced while the password is at hand, for accounts
// that may log in.
func (h *handler) checkPassword(r *http.Request, email, pw string) (st account.Staff, cred account.Credentials, ok bool, err error) {
	ctx := r.Context()
	st, cred, err = h.store.StaffCredentials(ctx, email)
	if err != nil && !errors.Is(err, account.ErrNoStaff) {
		return account.Staff{}, account.Credentials{}, false, err
	}
	if err != nil || cred.PasswordHash == "" {
		// No account, or none with a password yet: spend the time a real
		// check takes, then refuse with the same answer.
		_, _ = account.VerifyPassword(h.dummyHash(), pw)
		return account.Staff{}, account.Credentials{}, false, nil
	}
	ok, err = account.VerifyPassword(cred.PasswordHash, pw)
	if errors.Is(err, account.ErrBadHash) {
		h.logger.WarnContext(ctx, "staff password hash is malformed; set a new password with broadsheet staff password",
			"staff_id", st.ID)
		return account.Staff{}, account.Credentials{}, false, nil
	}
	if err != nil || !ok || cred.Disabled {
		return account.Staff{}, account.Credentials{}, false, err
	}
	if account.NeedsRehash(cred.PasswordHash) {
		if fresh, err := account.HashPassword(pw); err == nil {
			if err := h.store.SetStaffPassword(ctx, st.ID, fresh); err != nil {
				h.logger.WarnContext(ctx, "rehashing a staff password failed", "staff_id", st.ID, "err", err)
			} else {
				cred.PasswordHash = fresh
			}
		}
	}
	return st, cred, true, nil
}

// lockedOut answers a login refused by the limiter: 429, with when to
// try again in Retry-After and in words.
func (h *handler) lockedOut(w http.ResponseWriter, r *http.Request, l locale, p loginPage, wait time.Duration, byEmail bool) {
	minutes := int((wait + time.Minute - 1) / time.Minute)
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	if byEmail {
		p.Error = l.T("newsroom_login_locked", "Minutes", minutes)
	} else {
		p.Error = l.T("newsroom_login_ip_limited", "Minutes", minutes)
	}
	h.renderLogin(w, r, l, http.StatusTooManyRequests, p)
}

// limitKey is the email as the limiter and the lookup see it: lower case,
// so "Ed@" and "ed@" share one count, and bounded in length.
func limitKey(email string) string {
	if e, err := account.NormalizeEmail(email); err == nil {
		return e
	}
	e := strings.ToLower(email)
	if len(e) > 254 {
		e = e[:254]
	}
	return e
}

// POST /newsroom/logout — end this browser's session.
func (h *handler) logout(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.store.DeleteSession(r.Context(), v.Session.TokenHash); err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	http.SetCookie(w, h.cookie(CookieName, "/newsroom", "", -1))
	h.record(r, v, "staff.logout", "staff", v.Staff.ID, "")
	redirect(w, r, v.L, "/newsroom/login")
}

// POST /newsroom/logout-everywhere — end every session of this staff
// member, in every browser.
func (h *handler) logoutEverywhere(w http.ResponseWriter, r *http.Request, v *visit) {
	if _, err := h.store.DeleteStaffSessions(r.Context(), v.Staff.ID); err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	http.SetCookie(w, h.cookie(CookieName, "/newsroom", "", -1))
	h.record(r, v, "staff.logout-everywhere", "staff", v.Staff.ID, "")
	redirect(w, r, v.L, "/newsroom/login")
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// validToken accepts what newToken makes: 43 URL-safe base64 characters.
func validToken(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}
