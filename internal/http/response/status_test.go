package response_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/glossary"
	"broadsheet/internal/http/response"
	"broadsheet/internal/page"
	"broadsheet/internal/section"
)

// Each domain error has one status, wrapped or not, whichever door
// answers it; an error the domain does not explain has none.
func TestStatus(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want int
	}{
		{article.ErrNotFound, http.StatusNotFound},
		{fmt.Errorf("store: %w", section.ErrNotFound), http.StatusNotFound},
		{author.ErrNotFound, http.StatusNotFound},
		{page.ErrNotFound, http.StatusNotFound},
		{glossary.ErrNotFound, http.StatusNotFound},
		{fmt.Errorf("%w: only editors publish", article.ErrForbidden), http.StatusForbidden},
		{glossary.ErrForbidden, http.StatusForbidden},
		{article.ErrVersionClash, http.StatusConflict},
		{fmt.Errorf("%w: already published", article.ErrWrongStatus), http.StatusConflict},
		{section.ErrInUse, http.StatusConflict},
		{author.ErrEmailTaken, http.StatusConflict},
		{article.ValidationError{"headline": "is required"}, http.StatusUnprocessableEntity},
		{glossary.ValidationError{"headword": "is required"}, http.StatusUnprocessableEntity},
		{article.ErrBadCursor, http.StatusBadRequest},
		{article.ErrBusy, http.StatusServiceUnavailable},
		{section.ErrForbidden, http.StatusForbidden},
		{section.ValidationError{"slug": "is required"}, http.StatusUnprocessableEntity},
		{fmt.Errorf("%w: broken", glossary.ErrTooLarge), http.StatusRequestEntityTooLarge},
		{errors.New("disk on fire"), 0},
	} {
		if got := response.Status(tt.err); got != tt.want {
			t.Errorf("Status(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
