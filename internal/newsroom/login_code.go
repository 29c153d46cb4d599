package newsroom

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"broadsheet/internal/account"
	"broadsheet/internal/http/request"
)

// pendingCookie carries a login whose password was right, while the
// staff member types the code of their second factor. It holds the email
// and an expiry, signed with a key made of the account's password hash
// and TOTP secret: both are secret, live in the database every instance
// shares, and change when the password or the factor does, which voids
// the pending login. It proves only that the password was right; the
// code still has to be, and wrong codes count towards the lockout.
const pendingCookie = "bs_login_pending"

// pendingTTL is how long the code may take to arrive.
const pendingTTL = 5 * time.Minute

type codePage struct {
	page
	Next  string
	Error string
}

// totpOpts are the usual authenticator-app settings: six digits every 30
// seconds; one period either side is accepted for clocks that drift.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// codeStep finds the time step (Unix time / period) whose code an
// authenticator app's code is, within the accepted drift, newest first;
// false when it is none of them. It says nothing of whether the code was
// used already: useCode does.
func (h *handler) codeStep(code, secret string) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != totpOpts.Digits.Length() {
		return 0, false
	}
	period := int64(totpOpts.Period)
	now := h.now().Unix() / period
	for step := now + int64(totpOpts.Skew); step >= now-int64(totpOpts.Skew); step-- {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*period, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// useCode checks a code of the account's second factor and uses it up: a
// code whose time step is not newer than the last one the account used
// is refused like a wrong one, on every instance of the site.
func (h *handler) useCode(ctx context.Context, staffID int64, code, secret string) (bool, error) {
	step, ok := h.codeStep(code, secret)
	if !ok {
		return false, nil
	}
	return h.store.UseTOTPStep(ctx, staffID, secret, step)
}

// askForCode starts the second step of a login for an account with a
// second factor.
func (h *handler) askForCode(w http.ResponseWriter, r *http.Request, l locale, p loginPage, email string, cred account.Credentials) {
	exp := h.now().Add(pendingTTL).Unix()
	payload := email + "\n" + strconv.FormatInt(exp, 10)
	value := base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + pendingMAC(cred.PasswordHash, cred.TOTPSecret, payload)
	http.SetCookie(w, h.cookie(pendingCookie, "/newsroom/login", value, pendingTTL))
	h.renderCode(w, r, l, http.StatusOK, codePage{Next: p.Next})
}

func pendingMAC(passwordHash, secret, payload string) string {
	m := hmac.New(sha256.New, []byte("newsroom login pending\x00"+passwordHash+"\x00"+secret))
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (h *handler) renderCode(w http.ResponseWriter, r *http.Request, l locale, status int, p codePage) {
	token := ""
	if c, err := r.Cookie(loginCSRFCookie); err == nil && validToken(c.Value) {
		token = c.Value
	} else {
		token = newToken()
		http.SetCookie(w, h.cookie(loginCSRFCookie, "/newsroom/login", token, loginCSRFTTL))
	}
	p.page = h.page(r, l, nil, token, l.T("newsroom_code_title"), "")
	h.render(w, r, status, "login_code", p)
}

var errPendingGone = errors.New("newsroom: no pending login")

// pending reads and checks the pending login: its account, TOTP secret
// and email.
func (h *handler) pending(r *http.Request) (account.Staff, string, string, error) {
	c, err := r.Cookie(pendingCookie)
	if err != nil || len(c.Value) > 1000 {
		return account.Staff{}, "", "", errPendingGone
	}
	enc, mac, ok := strings.Cut(c.Value, ".")
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if !ok || err != nil {
		return account.Staff{}, "", "", errPendingGone
	}
	email, expText, ok := strings.Cut(string(raw), "\n")
	exp, err := strconv.ParseInt(expText, 10, 64)
	if !ok || err != nil || h.now().Unix() >= exp {
		return account.Staff{}, "", "", errPendingGone
	}
	st, hash, err := h.store.StaffByEmail(r.Context(), email)
	if errors.Is(err, account.ErrNoStaff) {
		return account.Staff{}, "", "", errPendingGone
	}
	if err != nil {
		return account.Staff{}, "", "", err
	}
	disabled, secret, err := h.store.StaffSecurity(r.Context(), st.ID)
	if err != nil {
		return account.Staff{}, "", "", err
	}
	want := pendingMAC(hash, secret, string(raw))
	if disabled || secret == "" || hash == "" || subtle.ConstantTimeCompare([]byte(mac), []byte(want)) != 1 {
		return account.Staff{}, "", "", errPendingGone
	}
	return st, secret, email, nil
}

// POST /newsroom/login/code — the second step: the code of the
// authenticator app.
func (h *handler) loginCode(w http.ResponseWriter, r *http.Request) {
	l, ok := h.readLoginForm(w, r)
	if !ok {
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	st, secret, email, err := h.pending(r)
	if errors.Is(err, errPendingGone) {
		http.SetCookie(w, h.cookie(pendingCookie, "/newsroom/login", "", -1))
		h.renderLogin(w, r, l, http.StatusBadRequest, loginPage{Next: next, Error: l.T("newsroom_code_expired")})
		return
	}
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	lp := loginPage{Email: email, Next: next}
	if h.refuseLocked(w, r, l, lp, email) {
		return
	}
	ok, err = h.useCode(r.Context(), st.ID, r.PostForm.Get("code"), secret)
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	if !ok {
		wait, byEmail, err := h.loginFailed(r.Context(), email, request.ClientIP(r), false)
		if err != nil {
			h.serverError(w, r, l, err)
			return
		}
		if wait > 0 {
			http.SetCookie(w, h.cookie(pendingCookie, "/newsroom/login", "", -1))
			h.lockedOut(w, r, l, lp, wait, byEmail)
			return
		}
		h.renderCode(w, r, l, http.StatusUnauthorized, codePage{Next: next, Error: l.T("newsroom_code_wrong")})
		return
	}
	h.finishLogin(w, r, l, st, email, next)
}
