package api

import (
	_ "embed"
	"net/http"
)

// route is one API endpoint. The table is the single list of routes: the
// mux is built from it and a test checks it against openapi.json.
type route struct {
	method string
	path   string // under /api/v1
	handle http.HandlerFunc
	public bool // needs no token
	reader bool // needs a signed-in reader's session (and CSRF token to change anything) instead of a token
	// moderator needs a token of a moderator, editor or admin.
	moderator bool
}

func (h *handler) routes() []route {
	return []route{
		{method: "GET", path: "/openapi.json", handle: serveOpenAPI, public: true},
		{method: "GET", path: "/dictionary", handle: h.lookupWord, public: true},
		{method: "GET", path: "/search", handle: h.search, public: true},
		{method: "GET", path: "/articles", handle: h.listArticles},
		{method: "POST", path: "/articles", handle: h.createArticle},
		{method: "GET", path: "/articles/{id}", handle: h.getArticle},
		{method: "PATCH", path: "/articles/{id}", handle: h.updateArticle},
		{method: "POST", path: "/articles/{id}/publish", handle: h.publishArticle},
		{method: "POST", path: "/articles/{id}/unpublish", handle: h.unpublishArticle},
		{method: "GET", path: "/sections", handle: h.listSections},
		{method: "POST", path: "/sections", handle: h.createSection},
		{method: "PATCH", path: "/sections/{id}", handle: h.updateSection},
		{method: "DELETE", path: "/sections/{id}", handle: h.deleteSection},
		{method: "GET", path: "/authors", handle: h.listAuthors},
		{method: "POST", path: "/authors", handle: h.createAuthor},
		{method: "PATCH", path: "/authors/{id}", handle: h.updateAuthor},
		{method: "GET", path: "/pages", handle: h.listPages},
		{method: "GET", path: "/pages/{slug}", handle: h.getPage},
		{method: "PUT", path: "/pages/{slug}", handle: h.savePage},
		{method: "PUT", path: "/top-stories", handle: h.setTopStories},
		{method: "GET", path: "/policy", handle: h.getPolicy, public: true},
		{method: "GET", path: "/articles/{id}/comments", handle: h.listComments, public: true},
		{method: "POST", path: "/articles/{id}/comments", handle: h.postComment, reader: true},
		{method: "PATCH", path: "/comments/{id}", handle: h.editComment, reader: true},
		{method: "DELETE", path: "/comments/{id}", handle: h.deleteComment, reader: true},
		{method: "PUT", path: "/comments/{id}/reaction", handle: h.reactToComment, reader: true},
		{method: "POST", path: "/comments/{id}/reports", handle: h.reportComment, reader: true},
		{method: "GET", path: "/readers/{id}/comments", handle: h.readerHistory, public: true},
		{method: "GET", path: "/me", handle: h.getMe, reader: true},
		{method: "PATCH", path: "/me", handle: h.updateMe, reader: true},
		{method: "DELETE", path: "/me", handle: h.deleteMe, reader: true},
		{method: "GET", path: "/me/export", handle: h.exportMe, reader: true},
		{method: "POST", path: "/me/policy", handle: h.acceptPolicy, reader: true},
		{method: "GET", path: "/moderation/queue", handle: h.moderationQueue, moderator: true},
		{method: "POST", path: "/moderation/comments/{id}/decision", handle: h.decideComment, moderator: true},
		{method: "GET", path: "/moderation/readers/{id}", handle: h.readerFile, moderator: true},
		{method: "POST", path: "/moderation/readers/{id}/ban", handle: h.banReader, moderator: true},
		{method: "DELETE", path: "/moderation/readers/{id}/ban", handle: h.unbanReader, moderator: true},
		{method: "GET", path: "/moderation/log", handle: h.moderationLog, moderator: true},
		{method: "GET", path: "/moderation/banned-words", handle: h.listBannedWords, moderator: true},
		{method: "POST", path: "/moderation/banned-words", handle: h.saveBannedWord, moderator: true},
		{method: "DELETE", path: "/moderation/banned-words/{id}", handle: h.deleteBannedWord, moderator: true},
		{method: "GET", path: "/moderation/settings", handle: h.getCommentSettings, moderator: true},
		{method: "PATCH", path: "/moderation/settings", handle: h.updateCommentSettings, moderator: true},
		{method: "PUT", path: "/moderation/modes/{scope}/{id}", handle: h.setCommentMode, moderator: true},
		{method: "GET", path: "/glossary", handle: h.listGlossary},
		{method: "POST", path: "/glossary", handle: h.createGlossaryEntry},
		{method: "GET", path: "/glossary/export", handle: h.exportGlossary},
		{method: "POST", path: "/glossary/import", handle: h.importGlossary},
		{method: "GET", path: "/glossary/{id}", handle: h.getGlossaryEntry},
		{method: "PATCH", path: "/glossary/{id}", handle: h.updateGlossaryEntry},
		{method: "DELETE", path: "/glossary/{id}", handle: h.deleteGlossaryEntry},
		{method: "GET", path: "/settings", handle: h.getSettings},
		{method: "PATCH", path: "/settings", handle: h.updateSettings},
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
