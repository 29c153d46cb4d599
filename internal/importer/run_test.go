package importer_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/importer"
	"broadsheet/internal/section"
	"broadsheet/internal/store"
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
			{"date past 9999", source{author, post("1", func(p *importer.Post) { p.UpdatedAt = time.Date(10000, 1, 1, 4, 0, 0, 0, time.UTC) })}, 2, "cannot be recorded"},
			{"the same post twice", source{author, post("1", nil), post("1", nil)}, 3, "a second article with the id 1"},
			{"a comment without an id", source{author, post("1", func(p *importer.Post) {
				p.Comments = []importer.Comment{{Body: "Hi", CreatedAt: time.Date(2020, 1, 3, 0, 0, 0, 0, time.UTC)}}
			})}, 2, "a comment on it has no id"},
			{"the same comment on two posts", source{author,
				post("1", func(p *importer.Post) {
					p.Comments = []importer.Comment{{SourceID: "c", Body: "Hi", CreatedAt: time.Date(2020, 1, 3, 0, 0, 0, 0, time.UTC)}}
				}),
				post("2", func(p *importer.Post) {
					p.Comments = []importer.Comment{{SourceID: "c", Body: "Hi", CreatedAt: time.Date(2020, 1, 3, 0, 0, 0, 0, time.UTC)}}
				})}, 3, "a second comment with the id c"},
			{"comment past 9999", source{author, post("1", func(p *importer.Post) {
				p.Comments = []importer.Comment{{SourceID: "c", Body: "Hi", CreatedAt: time.Date(10000, 1, 1, 4, 0, 0, 0, time.UTC)}}
			})}, 2, "comment c"},
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

// relatedFails is a database whose choice of related articles fails, as
// after a lost connection once the import is committed.
type relatedFails struct{ *store.DB }

func (relatedFails) ComputeRelated(context.Context, article.Article, int) error {
	return errors.New("connection lost")
}

// TestRun_workAfterTheCommitOnlyWarns: once the import is committed, a
// failure to choose related articles is a warning in the report; the
// import is not reported as failed, and the cached pages are dropped.
func TestRun_workAfterTheCommitOnlyWarns(t *testing.T) {
	e := storetest.Engines(t)[0]
	db := e.Open(t)
	inv := &invalidations{}
	src := source{&importer.Author{SourceID: "a", Name: "Ann"}, post("1", nil), post("2", nil)}
	rep, err := importer.Run(context.Background(), relatedFails{db}, src, importer.Options{Cache: inv})
	if err != nil {
		t.Fatalf("an import whose related articles failed: %v, want its report", err)
	}
	if rep.Articles.Added != 2 || rep.Related != 0 || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "connection lost") {
		t.Errorf("report %+v, want 2 added and a warning naming the failure", rep)
	}
	if len(inv.calls) != 1 || inv.calls[0] != "*" {
		t.Errorf("cache invalidated %v, want once, everything", inv.calls)
	}
	var out strings.Builder
	rep.Write(&out)
	if !strings.Contains(out.String(), "warning:") {
		t.Errorf("the printed report does not show the warning:\n%s", out.String())
	}
}

type invalidations struct{ calls []string }

func (i *invalidations) Invalidate(keys ...string) {
	i.calls = append(i.calls, strings.Join(keys, ","))
}

func TestRun_rerunKeepsWhatThePaperChanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		own := section.Section{Slug: "news", Name: "Our News"}
		if err := db.CreateSection(ctx, &own); err != nil {
			t.Fatal(err)
		}
		author := &importer.Author{SourceID: "a", Name: "Ann"}
		news := &importer.Section{SourceID: "n", Name: "News", Slug: "news"}
		mk := func(title string, updated time.Time) source {
			return source{author, news,
				post("1", func(p *importer.Post) {
					p.Title, p.SectionSourceID = title, "n"
					p.Comments = []importer.Comment{{SourceID: "c1", AuthorName: "Rob", Body: "First " + title, Approved: true}}
				}),
				post("2", func(p *importer.Post) { p.Title, p.UpdatedAt = title+" two", updated }),
			}
		}
		if _, err := importer.Run(ctx, db, mk("Old", time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)), importer.Options{}); err != nil {
			t.Fatal(err)
		}
		ids := map[string]int64{}
		for _, k := range []string{"1", "2"} {
			id, _, _, err := db.ImportID(ctx, "test", "article", k)
			if err != nil {
				t.Fatal(err)
			}
			ids[k] = id
		}
		// The newsroom unpublishes article 1; a moderator rejects its comment.
		a, err := db.Article(ctx, ids["1"])
		if err != nil {
			t.Fatal(err)
		}
		a.Status, a.SEOTitle = article.Draft, "Our SEO title"
		if err := db.UpdateArticle(ctx, &a, a.Version); err != nil {
			t.Fatal(err)
		}
		cid, _, _, err := db.ImportID(ctx, "test", "comment", "c1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetCommentStatus(ctx, cid, comment.Rejected, comment.LogEntry{At: time.Now(), Action: "reject", CommentID: cid}); err != nil {
			t.Fatal(err)
		}
		// The file changes: every record's hash changes, and post 2's
		// updated date goes back in time.
		news.Name = "Renamed News"
		rep, err := importer.Run(ctx, db, mk("New", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)), importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.ArticlesKept != 1 || rep.Articles.Updated != 1 {
			t.Errorf("report %+v, want 1 kept and 1 updated", rep)
		}
		var out strings.Builder
		rep.Write(&out)
		if !strings.Contains(out.String(), "1 kept: edited in the paper since the import") {
			t.Errorf("report prints %q", out.String())
		}
		a, err = db.Article(ctx, ids["1"])
		if err != nil || a.Status != article.Draft || a.SEOTitle != "Our SEO title" || a.Headline != "Old" {
			t.Errorf("the paper's edit was overwritten: %+v (%v)", a, err)
		}
		b, err := db.Article(ctx, ids["2"])
		if err != nil || b.Headline != "New two" || !b.UpdatedAt.Equal(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("article 2: headline %q, updated %v (%v); want updated, updated_at not moved back", b.Headline, b.UpdatedAt, err)
		}
		s, err := db.SectionByPath(ctx, "news")
		if err != nil || s.Name != "Our News" {
			t.Errorf("an adopted section was renamed: %+v (%v)", s, err)
		}
		c, err := db.Comment(ctx, cid)
		if err != nil || c.Status != comment.Rejected {
			t.Errorf("a rejected comment: %+v (%v)", c, err)
		}
		// A third run: the kept article is still kept, the rest unchanged.
		rep, err = importer.Run(ctx, db, mk("New", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)), importer.Options{DryRun: true})
		if err != nil || rep.ArticlesKept != 1 || rep.Articles.Unchanged != 1 {
			t.Errorf("dry run: %+v (%v)", rep, err)
		}
	})
}
