package newsroom

import (
	"context"
	"errors"
	"net/http"

	"broadsheet/internal/account"
)

// A reset link is its own proof: its token is long, random and known
// only to whoever the admin gave it to, so the form needs no other CSRF
// token (another site cannot post to a link it does not know), and the
// page asks no one to be signed in.

type resetPage struct {
	page
	Token  string
	Errors map[string]string
}

// resetAccount finds the account a reset link is for; false when it
// answered: unknown or used (404) and expired (410) links say so.
func (h *handler) resetAccount(w http.ResponseWriter, r *http.Request, l locale) (account.Staff, bool) {
	token := r.PathValue("token")
	if !validToken(token) {
		h.message(w, r, l, nil, http.StatusNotFound, l.T("newsroom_reset_title"), l.T("newsroom_reset_unknown"))
		return account.Staff{}, false
	}
	id, expires, err := h.store.PasswordReset(r.Context(), account.HashToken(token))
	if errors.Is(err, account.ErrNoReset) {
		h.message(w, r, l, nil, http.StatusNotFound, l.T("newsroom_reset_title"), l.T("newsroom_reset_unknown"))
		return account.Staff{}, false
	}
	if err != nil {
		h.serverError(w, r, l, err)
		return account.Staff{}, false
	}
	if !h.now().Before(expires) {
		h.message(w, r, l, nil, http.StatusGone, l.T("newsroom_reset_title"), l.T("newsroom_reset_expired"))
		return account.Staff{}, false
	}
	st, err := h.store.StaffByID(r.Context(), id)
	if err != nil {
		h.serverError(w, r, l, err)
		return account.Staff{}, false
	}
	return st, true
}

// GET /newsroom/reset/{token} — the form for a new password.
func (h *handler) showReset(w http.ResponseWriter, r *http.Request) {
	l, err := h.locale(r)
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	// The token is in the address: no other site may see it as a referrer.
	w.Header().Set("Referrer-Policy", "no-referrer")
	if _, ok := h.resetAccount(w, r, l); !ok {
		return
	}
	h.renderReset(w, r, l, http.StatusOK, nil)
}

func (h *handler) renderReset(w http.ResponseWriter, r *http.Request, l locale, status int, errs map[string]string) {
	p := resetPage{page: h.page(r, l, nil, "", l.T("newsroom_reset_title"), ""), Token: r.PathValue("token"), Errors: errs}
	h.render(w, r, status, "reset", p)
}

// POST /newsroom/reset/{token} — set the new password. The link is used
// up, and every session of the account ends, in one transaction.
func (h *handler) reset(w http.ResponseWriter, r *http.Request) {
	l, err := h.locale(r)
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		h.message(w, r, l, nil, http.StatusRequestEntityTooLarge, l.T("newsroom_form_too_large_title"), l.T("newsroom_form_too_large"))
		return
	}
	st, ok := h.resetAccount(w, r, l)
	if !ok {
		return
	}
	pw, again := r.PostForm.Get("password"), r.PostForm.Get("password_again")
	errs := map[string]string{}
	if err := account.CheckPassword(pw); err != nil {
		errs["password"] = l.T("newsroom_reset_weak", "Min", account.MinPasswordChars)
	} else if pw != again {
		errs["password_again"] = l.T("newsroom_reset_mismatch")
	}
	if len(errs) > 0 {
		h.renderReset(w, r, l, http.StatusUnprocessableEntity, errs)
		return
	}
	hash, err := account.HashPassword(pw)
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	err = h.store.InTx(r.Context(), func(ctx context.Context) error {
		if _, err := h.store.UsePasswordReset(ctx, account.HashToken(r.PathValue("token")), hash, h.now()); err != nil {
			return err
		}
		return h.audit.Write(ctx, st, "staff.password", "staff", st.ID, st.Name+" <"+st.Email+">", nil, nil)
	})
	if errors.Is(err, account.ErrNoReset) { // used or expired a moment ago, by another request
		h.message(w, r, l, nil, http.StatusNotFound, l.T("newsroom_reset_title"), l.T("newsroom_reset_unknown"))
		return
	}
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	h.message(w, r, l, nil, http.StatusOK, l.T("newsroom_reset_title"), l.T("newsroom_reset_done"))
}
