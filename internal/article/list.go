package article

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// SortColumn is a column the newsroom's list may be sorted by.
type SortColumn string

// The columns; the zero SortColumn is the lists' own order (newest
// first, drafts by creation), paged by cursor.
const (
	SortHeadline  SortColumn = "headline"
	SortSection   SortColumn = "section" // by the section's path
	SortStatus    SortColumn = "status"  // in the workflow's order: draft, review, scheduled, published
	SortUpdated   SortColumn = "updated"
	SortPublished SortColumn = "published" // articles never published come last either way
)

// SortColumns are the columns in the order the newsroom offers them.
var SortColumns = []SortColumn{SortUpdated, SortPublished, SortHeadline, SortSection, SortStatus}

// Valid reports a known column (or the lists' own order, "").
func (c SortColumn) Valid() bool {
	for _, s := range SortColumns {
		if c == s {
			return true
		}
	}
	return c == ""
}

// Limits of a list query, so no request makes the database read without
// end: a deeper page is reached by narrowing the search.
const (
	MaxListOffset = 10000
	MaxTextRunes  = 200 // as the readers' search box
)

// QueryError is a list parameter a person must correct: a 400.
type QueryError struct {
	Field string // the parameter: q, status, section, author, from, to, sort, order, page, after
	Err   error
}

func (e *QueryError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *QueryError) Unwrap() error { return e.Err }

// Errors a QueryError may hold, for doors that put them in words of
// their own (the newsroom translates them).
var (
	ErrBadStatus    = errors.New(`must be "draft", "review", "scheduled" or "published"`)
	ErrBadSection   = errors.New("no section has that path")
	ErrBadAuthor    = errors.New("no author has that name in addresses")
	ErrBadDate      = errors.New("must be a date such as 2026-03-01")
	ErrDateOrder    = errors.New("the end date must not be before the start date")
	ErrBadSort      = errors.New(`must be "updated", "published", "headline", "section" or "status"`)
	ErrBadOrder     = errors.New(`must be "asc" or "desc"`)
	ErrBadPage      = fmt.Errorf("must be a whole number from 1, reaching at most %d articles deep", MaxListOffset)
	ErrTextTooLong  = fmt.Errorf("may be at most %d characters long", MaxTextRunes)
	ErrCursorSorted = errors.New("a page cursor continues the newest-first list only; use page numbers with a sort")
)

// check is the service's validation of a query, whichever door built it.
func (q ListQuery) check() error {
	switch {
	case utf8.RuneCountInString(q.Text) > MaxTextRunes:
		return &QueryError{"q", ErrTextTooLong}
	case !q.Sort.Valid():
		return &QueryError{"sort", ErrBadSort}
	case q.Offset < 0 || q.Offset > MaxListOffset:
		return &QueryError{"page", ErrBadPage}
	case !q.ChangedFrom.IsZero() && !q.ChangedTo.IsZero() && !q.ChangedFrom.Before(q.ChangedTo):
		return &QueryError{"to", ErrDateOrder}
	case !q.After.IsZero() && (q.Sort != "" || q.Offset != 0):
		return &QueryError{"after", ErrCursorSorted}
	}
	return nil
}

// ListForm is a list as it arrives in a URL: q, status, section (a path;
// its subsections too), author (a slug), from and to (days of the last
// change, both included), sort and order (asc or desc). The newsroom's
// page and the JSON API read the same parameters through it.
type ListForm struct {
	Q, Status, Section, Author, From, To, Sort, Order string
}

// ListFormOf reads the parameters.
func ListFormOf(v url.Values) ListForm {
	return ListForm{Q: strings.TrimSpace(v.Get("q")), Status: v.Get("status"), Section: strings.Trim(v.Get("section"), "/"),
		Author: v.Get("author"), From: v.Get("from"), To: v.Get("to"), Sort: v.Get("sort"), Order: v.Get("order")}
}

// Active counts the filters set (not the words or the sort).
func (f ListForm) Active() int {
	n := 0
	for _, s := range []string{f.Status, f.Section, f.Author, f.From, f.To} {
		if s != "" {
			n++
		}
	}
	return n
}

// ListResolver finds what a form names; search.TreeResolver is one.
type ListResolver interface {
	SectionIDs(path string) ([]int64, bool)
	AuthorID(ctx context.Context, slug string) (id int64, ok bool, err error)
}

// Query turns the form into a query; days are in tz. A mistake is a
// *QueryError; anything else went wrong in the resolver. An empty sort
// is the lists' own order unless defaultSort says otherwise.
func (f ListForm) Query(ctx context.Context, r ListResolver, tz *time.Location, defaultSort SortColumn) (ListQuery, error) {
	q := ListQuery{Text: f.Q, Sort: defaultSort}
	if utf8.RuneCountInString(f.Q) > MaxTextRunes {
		return q, &QueryError{"q", ErrTextTooLong}
	}
	if f.Status != "" {
		if q.Status = Status(f.Status); !q.Status.Valid() {
			return q, &QueryError{"status", ErrBadStatus}
		}
	}
	if f.Section != "" {
		ids, ok := r.SectionIDs(f.Section)
		if !ok {
			return q, &QueryError{"section", ErrBadSection}
		}
		q.SectionIDs = ids
	}
	if f.Author != "" {
		id, ok, err := r.AuthorID(ctx, f.Author)
		if err != nil {
			return q, err
		}
		if !ok {
			return q, &QueryError{"author", ErrBadAuthor}
		}
		q.AuthorID = id
	}
	var err error
	if q.ChangedFrom, err = listDay(f.From, tz); err != nil {
		return q, &QueryError{"from", err}
	}
	if q.ChangedTo, err = listDay(f.To, tz); err != nil {
		return q, &QueryError{"to", err}
	}
	if !q.ChangedTo.IsZero() {
		q.ChangedTo = q.ChangedTo.AddDate(0, 0, 1) // the whole last day
	}
	if !q.ChangedFrom.IsZero() && !q.ChangedTo.IsZero() && !q.ChangedFrom.Before(q.ChangedTo) {
		return q, &QueryError{"to", ErrDateOrder}
	}
	if f.Sort != "" {
		if q.Sort = SortColumn(f.Sort); q.Sort == "" || !q.Sort.Valid() {
			return q, &QueryError{"sort", ErrBadSort}
		}
	}
	switch f.Order {
	case "", "desc":
	case "asc":
		q.Ascending = true
	default:
		return q, &QueryError{"order", ErrBadOrder}
	}
	return q, nil
}

// listDay reads a day as YYYY-MM-DD in tz; "" is no day.
func listDay(s string, tz *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation("2006-01-02", s, tz)
	if err != nil || d.Year() < 1900 || d.Year() > 9999 {
		return time.Time{}, ErrBadDate
	}
	return d, nil
}
