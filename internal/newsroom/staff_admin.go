package newsroom

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"broadsheet/internal/account"
)

// resetTTL is how long a password-reset link works.
const resetTTL = 24 * time.Hour

// maxStaffName bounds a staff member's name, as shown on bylines and logs.
const maxStaffName = 100

type staffPage struct {
	page
	Members []account.Member
	Roles   []account.Role
	Form    form
	Error   string // a refused change to one account
	// ResetLink is a password-reset link just made, shown this once; it
	// is never stored, only its hash.
	ResetLink string
	ResetFor  string
}

var allRoles = []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin}

// GET /newsroom/staff — every staff account, and the form for a new one.
func (h *handler) showStaff(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderStaff(w, r, v, http.StatusOK, staffPage{})
}

func (h *handler) renderStaff(w http.ResponseWriter, r *http.Request, v *visit, status int, p staffPage) {
	members, err := h.store.ListStaff(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	p.page = h.visitPage(r, v, v.L.T("newsroom_staff_title"), "staff")
	p.Members, p.Roles = members, allRoles
	h.render(w, r, status, "staff", p)
}

// POST /newsroom/staff — a new staff member, without a password: an
// admin then makes a reset link for them to set one.
func (h *handler) createStaff(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	errs := map[string]string{}
	name := strings.TrimSpace(f.Get("name"))
	switch {
	case name == "":
		errs["name"] = v.L.T("newsroom_staff_name_missing")
	case utf8.RuneCountInString(name) > maxStaffName || !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		errs["name"] = v.L.T("newsroom_staff_name_bad", "Max", maxStaffName)
	}
	email, err := account.NormalizeEmail(f.Get("email"))
	if err != nil {
		errs["email"] = v.L.T("newsroom_staff_email_bad")
	}
	role, err := account.ParseRole(f.Get("role"))
	if err != nil {
		errs["role"] = v.L.T("newsroom_staff_role_bad")
	}
	var st account.Staff
	if len(errs) == 0 {
		err = h.store.InTx(r.Context(), func(ctx context.Context) error {
			var err error
			if st, err = h.store.CreateStaff(ctx, account.Staff{Email: email, Name: name, Role: role}); err != nil {
				return err
			}
			return h.audit.Write(ctx, v.Staff, "staff.create", "staff", st.ID, st.Name+" <"+st.Email+">", nil, staffJSON(st, false))
		})
		switch {
		case errors.Is(err, account.ErrStaffExists):
			errs["email"] = v.L.T("newsroom_staff_email_taken")
		case err != nil:
			h.serverError(w, r, v.L, err)
			return
		}
	}
	if len(errs) > 0 {
		h.renderStaff(w, r, v, http.StatusUnprocessableEntity, staffPage{Form: form{Name: "create", Values: f, Errors: errs}})
		return
	}
	redirect(w, r, v.L, "/newsroom/staff")
}

// staffJSON is an account as the audit log keeps it.
func staffJSON(st account.Staff, disabled bool) map[string]any {
	return map[string]any{"id": st.ID, "name": st.Name, "email": st.Email, "role": st.Role, "disabled": disabled}
}

// member loads the account named in the path; false when it answered.
func (h *handler) member(w http.ResponseWriter, r *http.Request, v *visit) (account.Staff, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.message(w, r, v.L, v, http.StatusNotFound, v.L.T("newsroom_not_found_title"), v.L.T("newsroom_staff_not_found"))
		return account.Staff{}, false
	}
	st, err := h.store.StaffByID(r.Context(), id)
	if errors.Is(err, account.ErrNoStaff) {
		h.message(w, r, v.L, v, http.StatusNotFound, v.L.T("newsroom_not_found_title"), v.L.T("newsroom_staff_not_found"))
		return account.Staff{}, false
	}
	if err != nil {
		h.serverError(w, r, v.L, err)
		return account.Staff{}, false
	}
	return st, true
}

// POST /newsroom/staff/{id}/role — give an account another role. An
// admin cannot take the role from themselves: the site would be left
// without anyone to give it back if they were the last.
func (h *handler) setStaffRole(w http.ResponseWriter, r *http.Request, v *visit) {
	st, ok := h.member(w, r, v)
	if !ok {
		return
	}
	role, err := account.ParseRole(r.PostForm.Get("role"))
	if err != nil {
		h.renderStaff(w, r, v, http.StatusUnprocessableEntity, staffPage{Error: v.L.T("newsroom_staff_role_bad")})
		return
	}
	if st.ID == v.Staff.ID && role != account.Admin {
		h.renderStaff(w, r, v, http.StatusUnprocessableEntity, staffPage{Error: v.L.T("newsroom_staff_own_role")})
		return
	}
	if role != st.Role {
		err := h.store.InTx(r.Context(), func(ctx context.Context) error {
			if err := h.store.SetStaffRole(ctx, st.ID, role); err != nil {
				return err
			}
			return h.audit.Write(ctx, v.Staff, "staff.role", "staff", st.ID, st.Name+": "+string(st.Role)+" → "+string(role),
				map[string]any{"role": st.Role}, map[string]any{"role": role})
		})
		if err != nil {
			h.serverError(w, r, v.L, err)
			return
		}
	}
	redirect(w, r, v.L, "/newsroom/staff")
}

// POST /newsroom/staff/{id}/disable and /enable — switch an account off
// (its sessions end at once, and it cannot log in) or on again.
func (h *handler) disableStaff(w http.ResponseWriter, r *http.Request, v *visit) {
	h.switchStaff(w, r, v, true)
}
func (h *handler) enableStaff(w http.ResponseWriter, r *http.Request, v *visit) {
	h.switchStaff(w, r, v, false)
}

func (h *handler) switchStaff(w http.ResponseWriter, r *http.Request, v *visit, off bool) {
	st, ok := h.member(w, r, v)
	if !ok {
		return
	}
	if st.ID == v.Staff.ID && off {
		h.renderStaff(w, r, v, http.StatusUnprocessableEntity, staffPage{Error: v.L.T("newsroom_staff_own_disable")})
		return
	}
	action := "staff.enable"
	if off {
		action = "staff.disable"
	}
	err := h.store.InTx(r.Context(), func(ctx context.Context) error {
		if err := h.store.SetStaffDisabled(ctx, st.ID, off); err != nil {
			return err
		}
		return h.audit.Write(ctx, v.Staff, action, "staff", st.ID, st.Name+" <"+st.Email+">",
			map[string]any{"disabled": !off}, map[string]any{"disabled": off})
	})
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	redirect(w, r, v.L, "/newsroom/staff")
}

// POST /newsroom/staff/{id}/reset-link — a one-time link to set a new
// password, valid for a day. Only its hash is stored; the link is shown
// to the admin this once, to pass on (no mail is configured to send it).
func (h *handler) resetLink(w http.ResponseWriter, r *http.Request, v *visit) {
	st, ok := h.member(w, r, v)
	if !ok {
		return
	}
	token := newToken()
	now := h.now()
	err := h.store.InTx(r.Context(), func(ctx context.Context) error {
		if err := h.store.CreatePasswordReset(ctx, account.HashToken(token), st.ID, v.Staff.ID, now, now.Add(resetTTL)); err != nil {
			return err
		}
		return h.audit.Write(ctx, v.Staff, "staff.reset-link", "staff", st.ID, st.Name+" <"+st.Email+">", nil,
			map[string]any{"expires": now.Add(resetTTL).UTC().Format(time.RFC3339)})
	})
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	link := h.cfg.BaseURL + "/newsroom/reset/" + token
	if h.cfg.BaseURL == "" {
		scheme := "http"
		if h.cfg.Secure || r.TLS != nil {
			scheme = "https"
		}
		link = (&url.URL{Scheme: scheme, Host: r.Host, Path: "/newsroom/reset/" + token}).String()
	}
	h.renderStaff(w, r, v, http.StatusOK, staffPage{ResetLink: link, ResetFor: st.Name})
}
