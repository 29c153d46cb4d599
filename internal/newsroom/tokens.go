package newsroom

import (
	"context"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
	"broadsheet/internal/logsafe"
	"broadsheet/internal/outage"
)

// suggestStore finds the authors and tags the editor's token fields
// suggest as a writer types.
type suggestStore interface {
	AuthorSuggestions(ctx context.Context, q string, limit int) ([]author.Author, error)
	TagSuggestions(ctx context.Context, q string, since time.Time, limit int) ([]string, error)
}

const (
	// maxSuggestQuery bounds the typed text, in characters: longer than
	// any author's name (article.MaxNameLen) or email, or any tag.
	maxSuggestQuery = 200
	// suggestLimit is how many suggestions one answer holds: a list a
	// person can read through; typing more narrows it.
	suggestLimit = 20
	// tagRecentDays is how far back a tag's uses count for its place in
	// the suggestions: the topics of the day first, and a count that
	// stays cheap on a large archive.
	tagRecentDays = 90
)

type authorSuggestion struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Slug  string `json:"slug"`
}

// GET /newsroom/authors.json?q= — writers: up to 20 authors whose name or
// email holds q, those it starts first.
func (h *handler) suggestAuthors(w http.ResponseWriter, r *http.Request, v *visit) {
	q, ok := h.suggestQuery(w, r, v)
	if !ok {
		return
	}
	list, err := h.store.AuthorSuggestions(r.Context(), q, suggestLimit)
	if err != nil {
		h.suggestFailed(w, r, v, err)
		return
	}
	out := make([]authorSuggestion, len(list))
	for i, a := range list {
		out[i] = authorSuggestion{Name: a.Name, Email: a.Email, Slug: a.Slug}
	}
	response.JSON(w, http.StatusOK, map[string]any{"authors": out})
}

// GET /newsroom/tags.json?q= — writers: up to 20 tag names that hold q,
// those it starts first, then the most used in the last 90 days.
func (h *handler) suggestTags(w http.ResponseWriter, r *http.Request, v *visit) {
	q, ok := h.suggestQuery(w, r, v)
	if !ok {
		return
	}
	list, err := h.store.TagSuggestions(r.Context(), q, h.now().AddDate(0, 0, -tagRecentDays), suggestLimit)
	if err != nil {
		h.suggestFailed(w, r, v, err)
		return
	}
	response.JSON(w, http.StatusOK, map[string]any{"tags": list})
}

// GET /newsroom/tokens.json — writers: the token fields' words in the
// editor's language and the article's limits, read once by
// editor-tokens.js. Placeholders are left as {name}, {count} and {pos}
// for the script to fill in.
func (h *handler) tokenMessages(w http.ResponseWriter, r *http.Request, v *visit) {
	l := v.L
	named := func(id string) string { return l.T(id, "Name", "{name}") }
	msgs := map[string]string{
		"authorsHint":    l.T("newsroom_tokens_authors_hint"),
		"tagsHint":       l.T("newsroom_tokens_tags_hint"),
		"authorsChosen":  l.T("newsroom_tokens_authors_chosen"),
		"tagsChosen":     l.T("newsroom_tokens_tags_chosen"),
		"authorsFound":   l.T("newsroom_tokens_authors_found"),
		"tagsFound":      l.T("newsroom_tokens_tags_found"),
		"remove":         named("newsroom_tokens_remove"),
		"moveUp":         named("newsroom_tokens_move_up"),
		"moveDown":       named("newsroom_tokens_move_down"),
		"newAuthor":      named("newsroom_tokens_new_author"),
		"newTag":         named("newsroom_tokens_new_tag"),
		"emailLabel":     named("newsroom_tokens_email_label"),
		"emailAdd":       l.T("newsroom_tokens_email_add"),
		"emailCancel":    l.T("newsroom_tokens_email_cancel"),
		"emailInvalid":   l.T("newsroom_tokens_email_invalid"),
		"duplicate":      named("newsroom_tokens_duplicate"),
		"added":          named("newsroom_tokens_added"),
		"removed":        named("newsroom_tokens_removed"),
		"moved":          l.T("newsroom_tokens_moved", "Name", "{name}", "Pos", "{pos}", "Count", "{count}"),
		"found":          l.T("newsroom_tokens_found", "Count", "{count}"),
		"tooManyAuthors": l.T("newsroom_tokens_too_many_authors", "Max", article.MaxAuthors),
		"tooManyTags":    l.T("newsroom_tokens_too_many_tags", "Max", article.MaxTags),
		"tagTooLong":     l.T("newsroom_tokens_tag_too_long", "Max", article.MaxTagLen),
		"nameTooLong":    l.T("newsroom_tokens_name_too_long", "Max", article.MaxNameLen),
		"unavailable":    l.T("newsroom_tokens_unavailable"),
	}
	limits := map[string]int{"authors": article.MaxAuthors, "tags": article.MaxTags,
		"tagLength": article.MaxTagLen, "nameLength": article.MaxNameLen, "query": maxSuggestQuery}
	response.JSON(w, http.StatusOK, map[string]any{"messages": msgs, "limits": limits})
}

// suggestQuery is the typed text, refused with a sentence when it is
// longer than any name or tag could be.
func (h *handler) suggestQuery(w http.ResponseWriter, r *http.Request, v *visit) (string, bool) {
	q := r.URL.Query().Get("q")
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > maxSuggestQuery {
		response.JSON(w, http.StatusBadRequest, map[string]string{
			"message": v.L.T("newsroom_tokens_query_too_long", "Max", strconv.Itoa(maxSuggestQuery))})
		return "", false
	}
	return q, true
}

// suggestFailed answers a store failure in JSON, as the script reads it:
// 503 with Retry-After while the database is not answering, else 500.
func (h *handler) suggestFailed(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	if outage.Is(err) {
		outage.SetRetryAfter(w)
		response.JSON(w, http.StatusServiceUnavailable, map[string]string{"message": v.L.T("newsroom_unavailable")})
		return
	}
	h.logger.ErrorContext(r.Context(), "newsroom suggestions failed", "request_id", request.ID(r.Context()),
		"path", logsafe.String(r.URL.Path), "err", err)
	response.JSON(w, http.StatusInternalServerError, map[string]string{"message": v.L.T("newsroom_server_error")})
}
