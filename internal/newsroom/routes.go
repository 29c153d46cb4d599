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
	publishes = account.Role.CanPublish  // editors, admins
	writes    = account.Role.CanWrite    // reporters, editors, admins
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

	if h.articles != nil {
		// The editor's form, multipart with the lead image's file, is
		// sent to Save and to every step of the workflow.
		editorForm := h.staffEditorForm
		mux.HandleFunc("GET /newsroom/articles", h.staff(writes, h.showArticles))
		mux.HandleFunc("GET /newsroom/articles/new", h.staff(writes, h.newArticle))
		mux.HandleFunc("POST /newsroom/articles/new", editorForm(writes, h.createArticle))
		// Any member may open an article: the article service lets each
		// read what the policy allows (moderators, published articles).
		mux.HandleFunc("GET /newsroom/articles/{id}", h.staff(anyStaff, h.editArticle))
		mux.HandleFunc("POST /newsroom/articles/{id}", editorForm(writes, h.updateArticle))
		if h.cfg.Preview != nil {
			mux.HandleFunc("POST /newsroom/preview", editorForm(writes, h.previewArticle)) // the editor's whole form, multipart
		}
		mux.HandleFunc("POST /newsroom/articles/{id}/submit", editorForm(writes, h.submitArticle))
		mux.HandleFunc("POST /newsroom/articles/{id}/schedule", editorForm(publishes, h.scheduleArticle))
		mux.HandleFunc("POST /newsroom/articles/{id}/publish", editorForm(publishes, h.publishArticle))
		mux.HandleFunc("POST /newsroom/articles/{id}/unpublish", h.staff(publishes, h.unpublishArticle))
		mux.HandleFunc("POST /newsroom/articles/{id}/corrections", h.staff(publishes, h.correctArticle))
		mux.HandleFunc("GET /newsroom/articles/{id}/revisions", h.staff(writes, h.showRevisions))
		mux.HandleFunc("GET /newsroom/articles/{id}/revisions/{version}", h.staff(writes, h.showRevision))
		mux.HandleFunc("POST /newsroom/articles/{id}/revisions/{version}/restore", h.staff(writes, h.restoreRevision))
		mux.HandleFunc("GET /newsroom/articles/{id}/diff", h.staff(writes, h.showDiff))
		mux.HandleFunc("GET /newsroom/authors.json", h.staff(writes, h.suggestAuthors))
		mux.HandleFunc("GET /newsroom/tags.json", h.staff(writes, h.suggestTags))
		mux.HandleFunc("GET /newsroom/tokens.json", h.staff(writes, h.tokenMessages))
		mux.HandleFunc("GET /newsroom/curation", h.staff(publishes, h.showCuration))
		mux.HandleFunc("POST /newsroom/curation", h.staff(publishes, h.saveCuration))
		mux.HandleFunc("GET /newsroom/curation/sections/{id}", h.staff(publishes, h.showCuration))
		mux.HandleFunc("GET /newsroom/curation/search", h.staff(publishes, h.searchCuration))
		mux.HandleFunc("POST /newsroom/curation/sections/{id}", h.staff(publishes, h.saveCuration))
	}

	h.manageRoutes(mux) // sections, authors, static pages, site settings
	if h.cfg.Media != nil {
		h.mediaRoutes(mux)
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
	h.webhookRoutes(mux)
	h.importRoutes(mux)
	h.redirectRoutes(mux)

	mux.HandleFunc("GET /newsroom/static/{sum}/{name}", h.serveStylesheet)
	mux.HandleFunc("/newsroom/", h.notFound)
	return mux
}
