package newsroom

import (
	"errors"
	"net/http"
	"strings"

	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/glossary"
	"broadsheet/internal/http/response"
	"broadsheet/internal/section"
)

// fail answers an error from a page's work with a page saying what
// happened. The status is response.Status's, the same the JSON API
// answers for the same error; only the words are the newsroom's. A
// refusal of the comment service says its own reason; anything the
// domain does not explain is logged and answered 500.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	var rf *comment.Refusal
	switch {
	case errors.As(err, &rf) && rf.Kind == comment.KindNotFound:
		h.message(w, r, v.L, v, http.StatusNotFound, v.L.T("newsroom_not_found_title"), v.L.T("newsroom_not_found"))
		return
	case errors.As(err, &rf):
		h.message(w, r, v.L, v, http.StatusUnprocessableEntity, v.L.T("newsroom_refused_title"), refusalText(v.L, rf))
		return
	}
	st := response.Status(err)
	title := v.L.T("newsroom_refused_title")
	var text string
	switch st {
	case http.StatusNotFound:
		title, text = v.L.T("newsroom_not_found_title"), v.L.T("newsroom_not_found")
		if errors.Is(err, glossary.ErrNotFound) {
			text = v.L.T("newsroom_glossary_not_found")
		}
	case http.StatusForbidden:
		title, text = v.L.T("newsroom_forbidden_title"), v.L.T("newsroom_forbidden", "Role", v.L.T("newsroom_role_"+string(v.Staff.Role)))
	case http.StatusConflict:
		switch {
		case errors.Is(err, article.ErrVersionClash):
			text = v.L.T("newsroom_article_clash_short")
		case errors.Is(err, article.ErrWrongStatus):
			text = v.L.T("newsroom_article_wrong_status")
		case errors.Is(err, section.ErrInUse):
			text = v.L.T("newsroom_section_in_use")
		default:
			text = err.Error()
		}
	case http.StatusUnprocessableEntity:
		var ve article.ValidationError
		var parts []string
		if errors.As(err, &ve) {
			for _, msg := range fieldErrors(v.L, ve) {
				parts = append(parts, msg)
			}
		} else {
			parts = append(parts, err.Error())
		}
		text = strings.Join(parts, " ")
	case http.StatusBadRequest:
		text = v.L.T("newsroom_bad_cursor")
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "5")
		title, text = v.L.T("newsroom_busy_title"), v.L.T("newsroom_busy")
		if errors.Is(err, glossary.ErrBusy) {
			text = v.L.T("newsroom_glossary_import_busy")
		}
	case http.StatusRequestEntityTooLarge:
		title, text = v.L.T("newsroom_form_too_large_title"), v.L.T("newsroom_form_too_large")
	default:
		h.serverError(w, r, v.L, err)
		return
	}
	h.message(w, r, v.L, v, st, title, text)
}
