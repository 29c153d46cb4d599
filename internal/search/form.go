package search

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"broadsheet/internal/author"
	"broadsheet/internal/section"
)

// Form is a search as it arrives in a URL: /search?q=…&section=…&author=…
// &from=YYYY-MM-DD&to=YYYY-MM-DD&sort=relevance|newest&after=CURSOR. The
// reader site and the API read the same parameters.
type Form struct {
	Q, Section, Author, From, To, Sort, After string
}

// FormOf reads the parameters.
func FormOf(v url.Values) Form {
	return Form{Q: v.Get("q"), Section: strings.Trim(v.Get("section"), "/"), Author: v.Get("author"),
		From: v.Get("from"), To: v.Get("to"), Sort: v.Get("sort"), After: v.Get("after")}
}

// Resolver finds what a form names.
type Resolver interface {
	// SectionIDs is a section and every section below it, by path.
	SectionIDs(path string) ([]int64, bool)
	// AuthorID finds an author by slug; ok is false for none.
	AuthorID(ctx context.Context, slug string) (id int64, ok bool, err error)
}

// FieldError is a parameter a person must correct, with what is wrong.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// Query turns the form into a query; dates are days in tz. A mistake is
// a *FieldError; anything else went wrong in the Resolver.
func (f Form) Query(ctx context.Context, r Resolver, tz *time.Location, limit int) (Query, error) {
	q := Query{Sort: Relevance, Limit: limit}
	var err error
	if q.Terms, err = Parse(f.Q); err != nil {
		return q, &FieldError{"q", err}
	}
	switch f.Sort {
	case "", string(Relevance):
	case string(Newest):
		q.Sort = Newest
	default:
		return q, &FieldError{"sort", errors.New(`must be "relevance" or "newest"`)}
	}
	if f.Section != "" {
		ids, ok := r.SectionIDs(f.Section)
		if !ok {
			return q, &FieldError{"section", fmt.Errorf("no section has the path %q", f.Section)}
		}
		q.SectionIDs = ids
	}
	if f.Author != "" {
		id, ok, err := r.AuthorID(ctx, f.Author)
		if err != nil {
			return q, err
		}
		if !ok {
			return q, &FieldError{"author", fmt.Errorf("no author has the name %q in addresses", f.Author)}
		}
		q.AuthorID = id
	}
	if q.From, err = day(f.From, tz); err != nil {
		return q, &FieldError{"from", err}
	}
	if q.To, err = day(f.To, tz); err != nil {
		return q, &FieldError{"to", err}
	}
	if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1) // the whole last day
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, &FieldError{"to", errors.New("must not be before the start date")}
	}
	if f.After != "" {
		if q.After, err = ParseCursor(f.After, q.Sort); err != nil {
			return q, &FieldError{"after", err}
		}
	}
	return q, nil
}

func day(s string, tz *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation("2006-01-02", s, tz)
	if err != nil || d.Year() < 1900 || d.Year() > 9999 {
		return time.Time{}, errors.New("must be a date such as 2026-03-01")
	}
	return d, nil
}

// Next is the cursor that continues after the last hit of a full page.
func Next(hits []Hit, q Query) string {
	if len(hits) < q.Limit || len(hits) == 0 {
		return ""
	}
	last := hits[len(hits)-1]
	return Cursor{Score: last.Score, PublishedAt: last.Article.PublishedAt, ID: last.Article.ID}.String(q.Sort)
}

// AuthorFinder finds an author by the slug in their page's address.
type AuthorFinder interface {
	AuthorBySlug(ctx context.Context, slug string) (author.Author, error)
}

// TreeResolver is the Resolver the reader site and the API share:
// sections from the section tree, authors from the database.
type TreeResolver struct {
	Tree    *section.Tree
	Authors AuthorFinder
}

// SectionIDs is a section and every section below it.
func (r TreeResolver) SectionIDs(path string) ([]int64, bool) {
	s, ok := r.Tree.ByPath(path)
	if !ok {
		return nil, false
	}
	return r.Tree.Subtree(s.ID), true
}

// AuthorID finds an author by slug.
func (r TreeResolver) AuthorID(ctx context.Context, slug string) (int64, bool, error) {
	a, err := r.Authors.AuthorBySlug(ctx, slug)
	if errors.Is(err, author.ErrNotFound) {
		return 0, false, nil
	}
	return a.ID, err == nil, err
}
