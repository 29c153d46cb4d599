package newsroom

import (
	"broadsheet/internal/article"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"broadsheet/internal/auth/social"
	"broadsheet/internal/comment"
	"broadsheet/internal/section"
)

type settingsPage struct {
	page
	CanEdit   bool // editors and admins; moderators see the settings read-only
	Mode      string
	Limits    []setting
	Sections  []section.Section
	Providers []social.ProviderStatus
	Form      form
}

// setting is one numeric comment setting as a form field.
type setting struct {
	Key   string
	Value string
}

// Modes lists the moderation modes in the order the forms offer them.
func (settingsPage) Modes() []string { return []string{"post", "pre", "closed"} }

// GET /newsroom/moderation/settings — the comment settings, the forms for
// a section's or an article's mode, and the social login providers'
// health.
func (h *handler) showSettings(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderSettings(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderSettings(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	s, err := h.comments.Settings(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	secs, err := h.store.Sections(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	p := settingsPage{page: h.visitPage(r, v, v.L.T("newsroom_settings_title"), "settings"),
		CanEdit: manages(v.Staff.Role), Sections: secs, Form: f}
	stored := s.Map()
	p.Mode = f.Val("settings", comment.KeyMode, stored[comment.KeyMode])
	for _, k := range comment.Keys() {
		if k != comment.KeyMode {
			p.Limits = append(p.Limits, setting{Key: k, Value: f.Val("settings", k, stored[k])})
		}
	}
	if h.providers != nil {
		p.Providers = h.providers()
	}
	h.render(w, r, status, "settings", p)
}

// POST /newsroom/moderation/settings — change the site's mode and limits
// (editors and admins: the limits shape what every reader may do).
func (h *handler) saveSettings(w http.ResponseWriter, r *http.Request, v *visit) {
	m := map[string]string{}
	for _, k := range comment.Keys() {
		if vals, ok := r.PostForm[k]; ok && len(vals) > 0 {
			m[k] = strings.TrimSpace(vals[0])
		}
	}
	var bad map[string]string
	err := h.audited(r, v, "comment-settings.update", "settings", 0, "", func(ctx context.Context) error {
		var err error
		if _, bad, err = h.comments.ChangeSettings(ctx, m); err == nil && len(bad) > 0 {
			err = errRefused
		}
		return err
	})
	h.forgetComments()
	if err != nil && !errors.Is(err, errRefused) {
		h.serverError(w, r, v.L, err)
		return
	}
	if len(bad) > 0 {
		errs := map[string]string{}
		for k, msg := range bad {
			errs[k] = settingError(v.L, k, msg)
		}
		h.renderSettings(w, r, v, http.StatusUnprocessableEntity, form{Name: "settings", Values: r.PostForm, Errors: errs})
		return
	}
	redirect(w, r, v.L, "/newsroom/moderation/settings")
}

// settingError translates the service's complaint about one setting. The
// service states a limit's bounds only in its English sentence, so they
// are read back from it; if that wording ever changes, the message loses
// its numbers but stays right.
func settingError(l locale, key, msg string) string {
	if key == comment.KeyMode {
		return l.T("newsroom_err_setting_mode")
	}
	var lo, hi int
	if _, err := fmt.Sscanf(msg, "must be a whole number from %d to %d", &lo, &hi); err == nil {
		return l.T("newsroom_err_setting_range", "Min", lo, "Max", hi)
	}
	return l.T("newsroom_err_setting")
}

// POST /newsroom/moderation/modes — the moderation mode of one section or
// article: post, pre, closed, or inherit (follow the section or site).
func (h *handler) setMode(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	scope := f.Get("scope")
	if scope != "section" && scope != "article" {
		h.renderSettings(w, r, v, http.StatusUnprocessableEntity,
			form{Name: "mode-article", Values: f, Errors: map[string]string{"form": v.L.T("newsroom_err_mode_scope")}})
		return
	}
	name := "mode-" + scope
	errs := map[string]string{}
	id, err := strconv.ParseInt(strings.TrimSpace(f.Get("id")), 10, 64)
	if err != nil || id <= 0 {
		errs["id"] = v.L.T("newsroom_err_mode_" + scope)
	}
	mode, err := comment.ParseMode(f.Get("mode"))
	if err != nil {
		errs["mode"] = v.L.T("newsroom_err_mode")
	}
	if len(errs) == 0 && scope == "article" && h.articles != nil {
		// The article policy decides whose articles one may see, and so
		// set the comments of: an unpublished one is not a moderator's.
		if _, err := h.articles.Get(r.Context(), v.Staff, id); errors.Is(err, article.ErrNotFound) {
			errs["id"] = v.L.T("newsroom_err_mode_article")
		} else if err != nil {
			h.fail(w, r, v, err)
			return
		}
	}
	if len(errs) == 0 {
		err = h.audited(r, v, "comment-mode.set", scope, id, string(mode), func(ctx context.Context) error {
			return h.comments.SetMode(ctx, scope, id, mode)
		})
		var rf *comment.Refusal
		switch {
		case errors.As(err, &rf) && rf.Kind == comment.KindNotFound:
			errs["id"] = v.L.T("newsroom_err_mode_" + scope)
		case err != nil:
			h.fail(w, r, v, err)
			return
		}
	}
	if len(errs) > 0 {
		h.renderSettings(w, r, v, http.StatusUnprocessableEntity, form{Name: name, Values: f, Errors: errs})
		return
	}
	redirect(w, r, v.L, "/newsroom/moderation/settings")
}
