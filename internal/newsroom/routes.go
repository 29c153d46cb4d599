package newsroom

import (
	"net/http"

	"broadsheet/internal/account"
)

// Who may use a page: anyStaff is every signed-in member.
var (
	anyStaff  = func(account.Role) bool { return true }
	moderates = account.Role.CanModerate // moderators, editors, admins
	manages   = account.Role.CanManage   // editors, admins
)

// routes lists every newsroom page with the roles allowed on it.
func (h *handler) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /newsroom/login", h.showLogin)
	mux.HandleFunc("POST /newsroom/login", h.login)
	mux.HandleFunc("POST /newsroom/logout", h.staff(anyStaff, h.logout))
	mux.HandleFunc("POST /newsroom/logout-everywhere", h.staff(anyStaff, h.logoutEverywhere))
	mux.HandleFunc("GET /newsroom/{$}", h.staff(anyStaff, h.showHome))

	mux.HandleFunc("GET /newsroom/moderation", h.staff(moderates, h.showQueue))
	mux.HandleFunc("POST /newsroom/moderation/comments/{id}", h.staff(moderates, h.decideComment))
	mux.HandleFunc("GET /newsroom/moderation/readers/{id}", h.staff(moderates, h.showReader))
	mux.HandleFunc("POST /newsroom/moderation/readers/{id}/ban", h.staff(moderates, h.banReader))
	mux.HandleFunc("POST /newsroom/moderation/readers/{id}/unban", h.staff(moderates, h.unbanReader))
	mux.HandleFunc("GET /newsroom/moderation/log", h.staff(moderates, h.showLog))
	mux.HandleFunc("GET /newsroom/moderation/words", h.staff(moderates, h.showWords))
	mux.HandleFunc("POST /newsroom/moderation/words", h.staff(moderates, h.addWord))
	mux.HandleFunc("POST /newsroom/moderation/words/{id}/delete", h.staff(moderates, h.deleteWord))
	mux.HandleFunc("GET /newsroom/moderation/settings", h.staff(moderates, h.showSettings))
	mux.HandleFunc("POST /newsroom/moderation/settings", h.staff(manages, h.saveSettings))
	mux.HandleFunc("POST /newsroom/moderation/modes", h.staff(moderates, h.setMode))

	if h.glossary != nil {
		mux.HandleFunc("GET /newsroom/glossary", h.staff(manages, h.showGlossary))
		mux.HandleFunc("POST /newsroom/glossary", h.staff(manages, h.addGlossaryEntry))
		mux.HandleFunc("GET /newsroom/glossary/export", h.staff(manages, h.exportGlossary))
		mux.HandleFunc("POST /newsroom/glossary/import", h.staffUpload(manages, h.importGlossary))
		mux.HandleFunc("GET /newsroom/glossary/{id}", h.staff(manages, h.showGlossaryEntry))
		mux.HandleFunc("POST /newsroom/glossary/{id}", h.staff(manages, h.saveGlossaryEntry))
		mux.HandleFunc("POST /newsroom/glossary/{id}/delete", h.staff(manages, h.deleteGlossaryEntry))
	}

	// Staff accounts: the second step of a login, reset links, each
	// member's own second factor, and the admins' staff list and audit log.
	mux.HandleFunc("POST /newsroom/login/code", h.loginCode)
	mux.HandleFunc("GET /newsroom/reset/{token}", h.showReset)
	mux.HandleFunc("POST /newsroom/reset/{token}", h.reset)
	mux.HandleFunc("GET /newsroom/account", h.staff(anyStaff, h.showAccount))
	mux.HandleFunc("POST /newsroom/account/totp", h.staff(anyStaff, h.enableTOTP))
	mux.HandleFunc("POST /newsroom/account/totp/off", h.staff(anyStaff, h.disableTOTP))
	mux.HandleFunc("GET /newsroom/staff", h.staff(admins, h.showStaff))
	mux.HandleFunc("POST /newsroom/staff", h.staff(admins, h.createStaff))
	mux.HandleFunc("POST /newsroom/staff/{id}/role", h.staff(admins, h.setStaffRole))
	mux.HandleFunc("POST /newsroom/staff/{id}/disable", h.staff(admins, h.disableStaff))
	mux.HandleFunc("POST /newsroom/staff/{id}/enable", h.staff(admins, h.enableStaff))
	mux.HandleFunc("POST /newsroom/staff/{id}/reset-link", h.staff(admins, h.resetLink))
	mux.HandleFunc("GET /newsroom/audit", h.staff(admins, h.showAudit))

	mux.HandleFunc("GET /newsroom/static/{sum}/{name}", h.serveStylesheet)
	mux.HandleFunc("/newsroom/", h.notFound)
	return mux
}
