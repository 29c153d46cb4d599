package newsroom

import (
	"errors"
	"net/http"

	"broadsheet/internal/auth/social"
	"broadsheet/internal/comment"
	"broadsheet/internal/site"
)

type siteSettingsPage struct {
	page
	Settings  site.Settings
	Providers []social.ProviderStatus
	Form      form
	// The comment settings in force, shown read-only: they are changed
	// on the comment settings page.
	CommentMode string
	MaxLength   string
}

// siteFieldErrors are the messages for the settings Change refuses.
var siteFieldErrors = map[string]string{
	site.KeyName:     "newsroom_site_err_name",
	site.KeyLocale:   "newsroom_site_err_locale",
	site.KeyTimeZone: "newsroom_site_err_timezone",
}

// GET /newsroom/settings — the site's name, language and time zone, and
// which login providers are set up (admins only). The comment settings
// have their own page, which this one links to.
func (h *handler) showSiteSettings(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderSiteSettings(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderSiteSettings(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	m, err := h.cfg.Manage.Settings(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	p := siteSettingsPage{page: h.managePage(r, v, v.L.T("newsroom_site_title"), "site", "/newsroom/settings"),
		Settings: site.FromMap(m), Form: f}
	if h.providers != nil {
		p.Providers = h.providers()
	}
	cs, err := h.comments.Settings(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	cm := cs.Map()
	p.CommentMode, p.MaxLength = cm[comment.KeyMode], cm["comments_max_length"]
	h.render(w, r, status, "site_settings", p)
}

// POST /newsroom/settings — change the site's settings through the
// service the API uses. Every page of the reader site shows them, so
// every cached page is dropped.
func (h *handler) saveSiteSettings(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	name, lang, tz := f.Get(site.KeyName), f.Get(site.KeyLocale), f.Get(site.KeyTimeZone)
	_, err := h.cfg.Services.Site.Change(r.Context(), v.Staff, &name, &lang, &tz)
	var ve site.ValidationError
	if errors.As(err, &ve) {
		errs := map[string]string{}
		for k, msg := range ve {
			if id, ok := siteFieldErrors[k]; ok {
				errs[k] = v.L.T(id)
			} else {
				errs["form"] = msg
			}
		}
		h.renderSiteSettings(w, r, v, http.StatusUnprocessableEntity, form{Name: "site", Values: f, Errors: errs})
		return
	}
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	redirect(w, r, v.L, "/newsroom/settings")
}
