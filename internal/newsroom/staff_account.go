package newsroom

import (
	"bytes"
	"context"
	"encoding/base32"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"strconv"
	"strings"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"broadsheet/internal/http/request"
)

// A staff member's own page: their second factor (TOTP), which they turn
// on by proving that their authenticator app makes the right codes, and
// off with their password and a code.

type accountPage struct {
	page
	TOTP   bool
	Secret string       // a new secret to set up, while the factor is off
	URI    string       // the otpauth:// address of Secret
	QR     template.URL // the same as a PNG data: address (the CSP allows img data:)
	Form   form
}

// GET /newsroom/account — the second factor: its state, and a new secret
// to set it up with while it is off.
func (h *handler) showAccount(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderAccount(w, r, v, http.StatusOK, form{}, "")
}

// renderAccount draws the page; secret is the one being set up ("" for a
// new one).
func (h *handler) renderAccount(w http.ResponseWriter, r *http.Request, v *visit, status int, f form, secret string) {
	_, current, err := h.store.StaffSecurity(r.Context(), v.Staff.ID)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	p := accountPage{page: h.visitPage(r, v, v.L.T("newsroom_account_title"), "account"), TOTP: current != "", Form: f}
	if !p.TOTP {
		key, err := h.totpKey(v.L, v.Staff.Email, secret)
		if err != nil {
			h.serverError(w, r, v.L, err)
			return
		}
		p.Secret, p.URI = key.Secret(), key.URL()
		if img, err := key.Image(200, 200); err == nil {
			var buf bytes.Buffer
			if png.Encode(&buf, img) == nil {
				p.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
			}
		}
	}
	h.render(w, r, status, "account", p)
}

// totpKey makes a new key, or rebuilds the one being set up from its
// secret.
func (h *handler) totpKey(l locale, email, secret string) (*otp.Key, error) {
	opts := totp.GenerateOpts{Issuer: l.SiteName(), AccountName: email, Period: totpOpts.Period,
		Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm}
	if opts.Issuer == "" {
		opts.Issuer = "Broadsheet"
	}
	if secret != "" {
		raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
		if err != nil {
			return nil, err
		}
		opts.Secret = raw
	}
	return totp.Generate(opts)
}

// validSecret accepts what totpKey makes: 32 base32 characters (160 bits).
func validSecret(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	return err == nil
}

// POST /newsroom/account/totp — turn the second factor on, once a code
// made with the new secret proves the app has it.
func (h *handler) enableTOTP(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	secret := strings.TrimSpace(f.Get("secret"))
	if !validSecret(secret) {
		h.renderAccount(w, r, v, http.StatusUnprocessableEntity,
			form{Name: "on", Values: f, Errors: map[string]string{"code": v.L.T("newsroom_totp_secret_bad")}}, "")
		return
	}
	step, ok := h.codeStep(f.Get("code"), secret)
	if !ok {
		h.renderAccount(w, r, v, http.StatusUnprocessableEntity,
			form{Name: "on", Values: f, Errors: map[string]string{"code": v.L.T("newsroom_totp_code_wrong")}}, secret)
		return
	}
	_, current, err := h.store.StaffSecurity(r.Context(), v.Staff.ID)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	if current != "" { // on already, from another tab: keep the secret in use
		redirect(w, r, v.L, "/newsroom/account")
		return
	}
	if err := h.setTOTP(r.Context(), v, secret, step); err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	redirect(w, r, v.L, "/newsroom/account")
}

// POST /newsroom/account/totp/off — turn the second factor off, with the
// password and a current code: a browser left signed in is not enough.
func (h *handler) disableTOTP(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	_, current, err := h.store.StaffSecurity(r.Context(), v.Staff.ID)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	if current == "" {
		redirect(w, r, v.L, "/newsroom/account")
		return
	}
	// The password is checked like a login's: under the same lock, and a
	// wrong one counts towards it, so a browser left signed in cannot be
	// used to guess it.
	if wait, err := h.emailLocked(r.Context(), v.Staff.Email); err != nil {
		h.serverError(w, r, v.L, err)
		return
	} else if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		h.message(w, r, v.L, v, http.StatusTooManyRequests, v.L.T("newsroom_refused_title"), v.L.T("newsroom_totp_locked"))
		return
	}
	errs := map[string]string{}
	if _, _, ok, err := h.checkPassword(r, v.Staff.Email, f.Get("password")); err != nil {
		h.serverError(w, r, v.L, err)
		return
	} else if !ok {
		errs["password"] = v.L.T("newsroom_totp_password_wrong")
	}
	// A right code is used up even when the password is wrong: it was
	// typed into a form, and may have been seen.
	if ok, err := h.useCode(r.Context(), v.Staff.ID, f.Get("code"), current); err != nil {
		h.serverError(w, r, v.L, err)
		return
	} else if !ok {
		errs["code"] = v.L.T("newsroom_totp_code_wrong")
	}
	if len(errs) > 0 {
		if _, _, err := h.loginFailed(r.Context(), v.Staff.Email, request.ClientIP(r), false); err != nil {
			h.serverError(w, r, v.L, err)
			return
		}
		h.renderAccount(w, r, v, http.StatusUnprocessableEntity, form{Name: "off", Values: f, Errors: errs}, "")
		return
	}
	if err := h.setTOTP(r.Context(), v, "", 0); err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	redirect(w, r, v.L, "/newsroom/account")
}

// setTOTP turns the member's second factor on (a secret) or off ("") and
// writes the audit entry in the same transaction.
func (h *handler) setTOTP(ctx context.Context, v *visit, secret string, step int64) error {
	action, on := "staff.totp-off", secret != ""
	if on {
		action = "staff.totp-on"
	}
	return h.store.InTx(ctx, func(ctx context.Context) error {
		if err := h.store.SetStaffTOTP(ctx, v.Staff.ID, secret, step); err != nil {
			return err
		}
		return h.audit.Write(ctx, v.Staff, action, "staff", v.Staff.ID, v.Staff.Name, map[string]any{"totp": !on}, map[string]any{"totp": on})
	})
}
