package importer_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/importer"
	"broadsheet/internal/store/storetest"
)

// source is a Source of records held in memory.
type source []importer.Record

func (s source) Name() string { return "test" }

func (s source) Scan(ctx context.Context, fn func(importer.Record) error) error {
	for _, r := range s {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func post(id string, mod func(p *importer.Post)) *importer.Post {
	p := &importer.Post{SourceID: id, Kind: importer.KindArticle, Title: "Post " + id, HTML: "<p>Body of " + id + ".</p>",
		Status: importer.StatusPublished, PublishedAt: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), AuthorSourceIDs: []string{"a"}}
	if mod != nil {
		mod(p)
	}
	return p
}

func TestRun_refusesRecordsThatReferToNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		db := e.Open(t)
		author := &importer.Author{SourceID: "a", Name: "Ann", Email: "ann@x.example"}
		for _, tc := range []struct {
			name   string
			src    source
			record int
			reason string
		}{
			{"unknown tag", source{author, post("1", nil), post("2", func(p *importer.Post) { p.TagSourceIDs = []string{"nope"} })}, 3, `tag "nope"`},
			{"unknown section", source{author, post("1", func(p *importer.Post) { p.SectionSourceID = "s" })}, 2, `category "s"`},
			{"unknown author", source{post("1", nil)}, 1, `author "a"`},
			{"parent after child", source{&importer.Section{SourceID: "c", Name: "C", Slug: "c", ParentSourceID: "p"},
				&importer.Section{SourceID: "p", Name: "P", Slug: "p"}}, 1, "parent category"},
			{"empty post", source{author, post("1", func(p *importer.Post) { p.Title, p.HTML = " ", "<p> </p>" })}, 2, "neither a title nor any content"},
			{"bad email", source{&importer.Author{SourceID: "a", Name: "A", Email: "not an address"}}, 1, "email"},
			{"unknown kind", source{author, post("1", func(p *importer.Post) { p.Kind = "podcast" })}, 2, "unknown kind"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := importer.Run(context.Background(), db, tc.src, importer.Options{})
				var ie *importer.Error
				if !errors.As(err, &ie) || ie.Record != tc.record || !strings.Contains(ie.Reason, tc.reason) {
					t.Errorf("got %v, want record %d refused for %q", err, tc.record, tc.reason)
				}
			})
		}
		n, err := db.CountRows(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n["articles"] != 0 || n["import_ids"] != 0 || n["sections"] != 0 {
			t.Errorf("refused imports wrote: %v", n)
		}
	})
}

func TestRun_progressAndCacheOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		db := e.Open(t)
		var done []int
		inv := &invalidations{}
		src := source{&importer.Author{SourceID: "a", Name: "Ann"}, post("1", nil), post("2", nil)}
		rep, err := importer.Run(context.Background(), db, src, importer.Options{Progress: func(n int) { done = append(done, n) }, Cache: inv})
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != 3 || done[2] != 3 || rep.Articles.Added != 2 || rep.Related != 2 {
			t.Errorf("progress %v, report %+v", done, rep)
		}
		if len(inv.calls) != 1 || inv.calls[0] != "*" {
			t.Errorf("cache invalidated %v, want once, everything", inv.calls)
		}
		a, err := db.Article(context.Background(), 1)
		if err != nil || len(a.Authors) != 1 || !strings.HasSuffix(a.Authors[0].Email, "@test.import.invalid") {
			t.Errorf("an author without email: got %+v (%v)", a.Authors, err)
		}
	})
}

type invalidations struct{ calls []string }

func (i *invalidations) Invalidate(keys ...string) {
	i.calls = append(i.calls, strings.Join(keys, ","))
}
