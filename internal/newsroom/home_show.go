package newsroom

import "net/http"

type homePage struct {
	page
	CanModerate bool
	CanManage   bool
	Glossary    bool // the glossary pages are served (editors and admins)
	Manage      bool // the section, author and page pages are served (editors and admins)
	SiteAdmin   bool // the site settings page is served (admins)
}

// GET /newsroom/ — the start page: who is signed in, and the pages their
// role may use.
func (h *handler) showHome(w http.ResponseWriter, r *http.Request, v *visit) {
	h.render(w, r, http.StatusOK, "home", homePage{
		page:        h.visitPage(r, v, v.L.T("newsroom_home_title"), "home"),
		CanModerate: moderates(v.Staff.Role), CanManage: manages(v.Staff.Role),
		Glossary: manages(v.Staff.Role) && h.glossary != nil,
		Manage:   manages(v.Staff.Role) && h.cfg.Manage != nil, SiteAdmin: admins(v.Staff.Role) && h.cfg.Manage != nil,
	})
}
