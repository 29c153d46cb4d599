package response

import (
	"errors"
	"net/http"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/front"
	"broadsheet/internal/glossary"
	"broadsheet/internal/page"
	"broadsheet/internal/reader"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
)

// Status is the HTTP status for an error of a domain service, the one
// mapping both doors use: the JSON API and the newsroom pages each draw
// their own body (JSON or a page) from it, so the same refusal never gets
// two different statuses. 0 means the error is not one the domain
// explains: the caller logs it and answers 500.
func Status(err error) int {
	var ave article.ValidationError
	var gve glossary.ValidationError
	var sve section.ValidationError
	var uve author.ValidationError
	var pve page.ValidationError
	var tve site.ValidationError
	var frf *front.Refusal
	var mbe *http.MaxBytesError
	var aqe *article.QueryError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.As(err, &mbe), errors.Is(err, glossary.ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, account.ErrBadToken):
		return http.StatusUnauthorized
	case errors.Is(err, article.ErrForbidden), errors.Is(err, glossary.ErrForbidden),
		errors.Is(err, section.ErrForbidden), errors.Is(err, author.ErrForbidden), errors.Is(err, page.ErrForbidden),
		errors.Is(err, site.ErrForbidden), errors.Is(err, front.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, article.ErrNotFound), errors.Is(err, section.ErrNotFound),
		errors.Is(err, author.ErrNotFound), errors.Is(err, page.ErrNotFound),
		errors.Is(err, glossary.ErrNotFound), errors.Is(err, reader.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, article.ErrVersionClash), errors.Is(err, article.ErrWrongStatus),
		errors.Is(err, section.ErrInUse), errors.Is(err, section.ErrExists), errors.Is(err, section.ErrLoop),
		errors.Is(err, author.ErrEmailTaken), errors.Is(err, page.ErrExists), errors.Is(err, glossary.ErrExists):
		return http.StatusConflict
	case errors.As(err, &ave), errors.As(err, &gve), errors.Is(err, article.ErrUnknownSection),
		errors.As(err, &sve), errors.As(err, &uve), errors.As(err, &pve), errors.As(err, &tve), errors.As(err, &frf):
		return http.StatusUnprocessableEntity
	case errors.Is(err, article.ErrBadCursor), errors.Is(err, glossary.ErrBadCursor), errors.As(err, &aqe):
		return http.StatusBadRequest
	case errors.Is(err, article.ErrBusy), errors.Is(err, glossary.ErrBusy):
		return http.StatusServiceUnavailable
	}
	return 0
}
