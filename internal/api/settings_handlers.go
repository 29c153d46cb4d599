package api

import (
	"net/http"

	"broadsheet/internal/http/response"
	"broadsheet/internal/site"
)

// GET /api/v1/settings returns the site's name, default interface
// language and time zone.
func (h *handler) getSettings(w http.ResponseWriter, r *http.Request) {
	m, err := h.store.Settings(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, settingsOut(site.FromMap(m)))
}

// PATCH /api/v1/settings changes the fields given (admins only); every
// cached page is dropped, since every page shows them.
func (h *handler) updateSettings(w http.ResponseWriter, r *http.Request) {
	var req settingsRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := h.manage.Site.Change(r.Context(), actor(r), req.SiteName, req.Locale, req.TimeZone)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, settingsOut(s))
}

func settingsOut(s site.Settings) settingsDTO {
	return settingsDTO{SiteName: s.Name, Locale: s.Locale, TimeZone: s.TimeZone.String()}
}
