package api

import (
	_ "embed"
	"net/http"

	"broadsheet/internal/account"
)

// route is one API endpoint. The table is the single list of routes: the
// mux is built from it and a test checks it against openapi.json. Each
// route says who may call it; the article service then applies the
// article policy (internal/article/policy.go) to the article itself.
type route struct {
	method string
	path   string // under /api/v1
	handle http.HandlerFunc
	who    access
}

// credential is what a route takes to know its caller.
type credential int

const (
	staffToken    credential = iota // a staff member's API token (Authorization: Bearer)
	none                            // nothing: public
	readerSession                   // a signed-in reader's session, and a CSRF token to change anything
)

// access is who may call a route: the credential, and for token routes
// the roles allowed, with the sentence a refused role reads (403).
type access struct {
	cred    credential
	may     func(account.Role) bool
	refusal string
}

// The rules of the route table; the role predicates are account's, the
// same the newsroom's routes use.
var (
	public    = access{cred: none}
	readers   = access{cred: readerSession}
	anyStaff  = access{may: func(account.Role) bool { return true }}
	writers   = access{may: account.Role.CanWrite, refusal: "Only reporters, editors and admins write articles; moderators look after comments."}
	publishes = access{may: account.Role.CanPublish, refusal: "Only editors and admins publish, schedule or unpublish articles."}
	moderates = access{may: account.Role.CanModerate, refusal: "Only moderators, editors and admins moderate comments."}
	manages   = access{may: account.Role.CanManage, refusal: "Only editors and admins manage sections, authors, pages, the glossary, the comment settings and the home page."}
	admins    = access{may: account.Role.CanAdminister, refusal: "Only admins change the site settings."}
)

func (h *handler) routes() []route {
	return []route{
		{method: "GET", path: "/openapi.json", handle: serveOpenAPI, who: public},
		{method: "GET", path: "/dictionary", handle: h.lookupWord, who: public},
		{method: "GET", path: "/search", handle: h.search, who: public},
		{method: "GET", path: "/articles", handle: h.listArticles, who: writers},
		{method: "POST", path: "/articles", handle: h.createArticle, who: writers},
		{method: "GET", path: "/articles/{id}", handle: h.getArticle, who: anyStaff},
		{method: "PATCH", path: "/articles/{id}", handle: h.updateArticle, who: writers},
		{method: "POST", path: "/articles/{id}/submit", handle: h.submitArticle, who: writers},
		{method: "POST", path: "/articles/{id}/schedule", handle: h.scheduleArticle, who: publishes},
		{method: "POST", path: "/articles/{id}/publish", handle: h.publishArticle, who: publishes},
		{method: "POST", path: "/articles/{id}/unpublish", handle: h.unpublishArticle, who: publishes},
		{method: "GET", path: "/sections", handle: h.listSections, who: anyStaff},
		{method: "POST", path: "/sections", handle: h.createSection, who: manages},
		{method: "PATCH", path: "/sections/{id}", handle: h.updateSection, who: manages},
		{method: "DELETE", path: "/sections/{id}", handle: h.deleteSection, who: manages},
		{method: "GET", path: "/authors", handle: h.listAuthors, who: anyStaff},
		{method: "POST", path: "/authors", handle: h.createAuthor, who: manages},
		{method: "PATCH", path: "/authors/{id}", handle: h.updateAuthor, who: manages},
		{method: "GET", path: "/pages", handle: h.listPages, who: anyStaff},
		{method: "GET", path: "/pages/{slug}", handle: h.getPage, who: anyStaff},
		{method: "PUT", path: "/pages/{slug}", handle: h.savePage, who: manages},
		{method: "PUT", path: "/top-stories", handle: h.setTopStories, who: manages},
		{method: "GET", path: "/policy", handle: h.getPolicy, who: public},
		{method: "GET", path: "/articles/{id}/comments", handle: h.listComments, who: public},
		{method: "POST", path: "/articles/{id}/comments", handle: h.postComment, who: readers},
		{method: "PATCH", path: "/comments/{id}", handle: h.editComment, who: readers},
		{method: "DELETE", path: "/comments/{id}", handle: h.deleteComment, who: readers},
		{method: "PUT", path: "/comments/{id}/reaction", handle: h.reactToComment, who: readers},
		{method: "POST", path: "/comments/{id}/reports", handle: h.reportComment, who: readers},
		{method: "GET", path: "/readers/{id}/comments", handle: h.readerHistory, who: public},
		{method: "GET", path: "/me", handle: h.getMe, who: readers},
		{method: "PATCH", path: "/me", handle: h.updateMe, who: readers},
		{method: "DELETE", path: "/me", handle: h.deleteMe, who: readers},
		{method: "GET", path: "/me/export", handle: h.exportMe, who: readers},
		{method: "POST", path: "/me/policy", handle: h.acceptPolicy, who: readers},
		{method: "GET", path: "/moderation/queue", handle: h.moderationQueue, who: moderates},
		{method: "POST", path: "/moderation/comments/{id}/decision", handle: h.decideComment, who: moderates},
		{method: "GET", path: "/moderation/readers/{id}", handle: h.readerFile, who: moderates},
		{method: "POST", path: "/moderation/readers/{id}/ban", handle: h.banReader, who: moderates},
		{method: "DELETE", path: "/moderation/readers/{id}/ban", handle: h.unbanReader, who: moderates},
		{method: "GET", path: "/moderation/log", handle: h.moderationLog, who: moderates},
		{method: "GET", path: "/moderation/banned-words", handle: h.listBannedWords, who: moderates},
		{method: "POST", path: "/moderation/banned-words", handle: h.saveBannedWord, who: moderates},
		{method: "DELETE", path: "/moderation/banned-words/{id}", handle: h.deleteBannedWord, who: moderates},
		{method: "GET", path: "/moderation/settings", handle: h.getCommentSettings, who: moderates},
		{method: "PATCH", path: "/moderation/settings", handle: h.updateCommentSettings, who: manages},
		{method: "PUT", path: "/moderation/modes/{scope}/{id}", handle: h.setCommentMode, who: moderates},
		{method: "GET", path: "/glossary", handle: h.listGlossary, who: anyStaff},
		{method: "POST", path: "/glossary", handle: h.createGlossaryEntry, who: manages},
		{method: "GET", path: "/glossary/export", handle: h.exportGlossary, who: anyStaff},
		{method: "POST", path: "/glossary/import", handle: h.importGlossary, who: manages},
		{method: "GET", path: "/glossary/{id}", handle: h.getGlossaryEntry, who: anyStaff},
		{method: "PATCH", path: "/glossary/{id}", handle: h.updateGlossaryEntry, who: manages},
		{method: "DELETE", path: "/glossary/{id}", handle: h.deleteGlossaryEntry, who: manages},
		{method: "GET", path: "/settings", handle: h.getSettings, who: anyStaff},
		{method: "PATCH", path: "/settings", handle: h.updateSettings, who: admins},
		{method: "GET", path: "/webhooks", handle: h.listWebhooks, who: administers},
		{method: "POST", path: "/webhooks", handle: h.createWebhook, who: administers},
		{method: "DELETE", path: "/webhooks/{id}", handle: h.deleteWebhook, who: administers},
		{method: "GET", path: "/webhooks/{id}/deliveries", handle: h.listWebhookDeliveries, who: administers},
		// The redirect service decides who may (editors and admins), for
		// this door and the newsroom's alike.
		{method: "GET", path: "/redirects", handle: h.listRedirects, who: anyStaff},
		{method: "POST", path: "/redirects", handle: h.createRedirect, who: anyStaff},
		{method: "DELETE", path: "/redirects", handle: h.deleteRedirect, who: anyStaff},
	}
}

//go:embed openapi.json
var openAPI []byte

// GET /api/v1/openapi.json — the OpenAPI 3.1 description of this API.
func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPI)
}
