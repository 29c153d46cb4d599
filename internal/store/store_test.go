package store_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/page"
	"broadsheet/internal/section"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

func TestMigrations_sameFilesForBothEngines(t *testing.T) {
	names := func(dir string) []string {
		entries, err := fs.ReadDir(os.DirFS("migrations"), dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		sort.Strings(out)
		return out
	}
	if diff := cmp.Diff(names("sqlite"), names("postgres")); diff != "" {
		t.Errorf("migration files differ (-sqlite +postgres):\n%s", diff)
	}
}

func TestOpen_migratesAndReopens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		dsn := e.DSN(t)
		for i := 0; i < 2; i++ { // a second Open finds nothing to do
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatalf("open #%d: %v", i+1, err)
			}
			v, err := db.SchemaVersion(ctx)
			if err != nil || v < 1 {
				t.Errorf("schema version = %d, %v; want ≥ 1", v, err)
			}
			db.Close()
		}
	})
}

// seedSections makes National > Politics and Sports.
func seedSections(t testing.TB, db *store.DB) (national, politics, sports section.Section) {
	t.Helper()
	ctx := context.Background()
	national = section.Section{Slug: "national", Name: "National"}
	sports = section.Section{Slug: "sports", Name: "Sports", Position: 2}
	for _, s := range []*section.Section{&national, &sports} {
		if err := db.CreateSection(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	politics = section.Section{Slug: "politics", Name: "Politics", ParentID: national.ID}
	if err := db.CreateSection(ctx, &politics); err != nil {
		t.Fatal(err)
	}
	return national, politics, sports
}

func TestSections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		national, politics, _ := seedSections(t, db)
		if politics.Path != "national/politics" {
			t.Errorf("path = %q, want national/politics", politics.Path)
		}
		got, err := db.SectionByPath(ctx, "national/politics")
		if err != nil || got.ID != politics.ID || got.ParentID != national.ID {
			t.Errorf("SectionByPath = %+v, %v; want id %d parent %d", got, err, politics.ID, national.ID)
		}
		if _, err := db.SectionByPath(ctx, "nope"); !errors.Is(err, section.ErrNotFound) {
			t.Errorf("unknown path: got %v, want ErrNotFound", err)
		}
		dup := section.Section{Slug: "politics", Name: "Again", ParentID: national.ID}
		if err := db.CreateSection(ctx, &dup); !errors.Is(err, section.ErrExists) {
			t.Errorf("duplicate path: got %v, want ErrExists", err)
		}
		chain, err := db.SectionChain(ctx, politics.ID)
		if err != nil || len(chain) != 2 || chain[0].ID != national.ID {
			t.Errorf("chain = %+v, %v", chain, err)
		}
		if err := db.DeleteSection(ctx, national.ID); !errors.Is(err, section.ErrInUse) {
			t.Errorf("delete parent: got %v, want ErrInUse", err)
		}
		if err := db.DeleteSection(ctx, politics.ID); err != nil {
			t.Errorf("delete empty section: %v", err)
		}
	})
}

func newArticle(sectionID int64, headline string, published time.Time, authors ...author.Author) *article.Article {
	return &article.Article{
		Slug: article.Slugify(headline), Headline: headline, Body: "Body of " + headline,
		BodyHTML: "<p>Body of " + headline + "</p>", SectionID: sectionID, Status: article.Published,
		PublishedAt: published, CreatedAt: published, UpdatedAt: published,
		Authors: authors, Tags: []article.Tag{{Slug: "budget", Name: "Budget"}},
	}
}

func TestArticles_createGetAndMatchAuthors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		when := time.Date(2026, 11, 2, 3, 4, 5, 6_000_000, time.UTC)
		kim := author.Author{Name: "Kim Min-ji", Email: "kim@paper.example"}
		lee := author.Author{Name: "Lee Seo-yeon", Email: "lee@paper.example"}
		a := newArticle(politics.ID, "Assembly passes budget", when, kim, lee)
		a.LeadImage = article.Image{URL: "/media/a.png", Caption: "The chamber", Credit: "Staff", Alt: "Lawmakers vote"}
		if err := db.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := db.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(*a, got); diff != "" {
			t.Errorf("stored article differs (-want +got):\n%s", diff)
		}
		// A second article by the same email reuses the author.
		b := newArticle(politics.ID, "Second", when.Add(time.Hour), author.Author{Name: "Another Name", Email: "kim@paper.example"})
		if err := db.CreateArticle(ctx, b); err != nil {
			t.Fatal(err)
		}
		if b.Authors[0].ID != got.Authors[0].ID || b.Authors[0].Name != "Kim Min-ji" {
			t.Errorf("author not matched by email: got %+v, want id %d", b.Authors[0], got.Authors[0].ID)
		}
		authors, err := db.Authors(ctx)
		if err != nil || len(authors) != 2 {
			t.Errorf("authors = %d, %v; want 2", len(authors), err)
		}
		if _, err := db.Article(ctx, 9999); !errors.Is(err, article.ErrNotFound) {
			t.Errorf("unknown id: got %v, want ErrNotFound", err)
		}
	})
}

func TestArticles_createFailsWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		a := newArticle(424242, "No such section", time.Now(), author.Author{Name: "X", Email: "x@paper.example"})
		if err := db.CreateArticle(ctx, a); err == nil {
			t.Fatal("article in a missing section was stored")
		}
		list, _ := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope()})
		authors, _ := db.Authors(ctx)
		if len(list) != 0 || len(authors) != 0 {
			t.Errorf("failed create left %d articles and %d authors behind", len(list), len(authors))
		}
	})
}

func TestListArticles_keysetPagingHasNoGapsOrDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		national, politics, sports := seedSections(t, db)
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		au := author.Author{Name: "Kim", Email: "kim@paper.example"}
		want := map[int64]bool{}
		for i := 0; i < 25; i++ {
			sec := politics.ID
			if i%5 == 0 {
				sec = sports.ID
			}
			// Pairs share a timestamp so the id must break ties.
			a := newArticle(sec, "Story", base.Add(time.Duration(i/2)*time.Hour), au)
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			if sec == politics.ID {
				want[a.ID] = true
			}
		}
		seen := map[int64]bool{}
		var cur article.Cursor
		var last article.Article
		for page := 0; page < 10; page++ {
			list, err := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(),
				SectionIDs: []int64{national.ID, politics.ID}, Status: article.Published, After: cur, Limit: 6})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				if seen[a.ID] {
					t.Errorf("article %d listed twice", a.ID)
				}
				if last.ID != 0 && (a.PublishedAt.After(last.PublishedAt) || (a.PublishedAt.Equal(last.PublishedAt) && a.ID > last.ID)) {
					t.Errorf("article %d out of order after %d", a.ID, last.ID)
				}
				seen[a.ID], last = true, a
			}
			if len(list) < 6 {
				break
			}
			cur = article.Cursor{PublishedAt: last.PublishedAt, ID: last.ID}
		}
		if diff := cmp.Diff(want, seen); diff != "" {
			t.Errorf("paged list differs from the politics articles (-want +got):\n%s", diff)
		}
	})
}

func TestUpdateArticle_refusesStaleVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, sports := seedSections(t, db)
		a := newArticle(politics.ID, "First", time.Now().UTC().Truncate(time.Millisecond), author.Author{Name: "K", Email: "k@paper.example"})
		if err := db.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		edit := *a
		edit.Headline, edit.SectionID = "Edited", sports.ID
		edit.Tags = []article.Tag{{Slug: "sport", Name: "Sport"}}
		if err := db.UpdateArticle(ctx, &edit, 1); err != nil {
			t.Fatal(err)
		}
		stale := *a
		stale.Headline = "Stale"
		if err := db.UpdateArticle(ctx, &stale, 1); !errors.Is(err, article.ErrVersionClash) {
			t.Errorf("stale save: got %v, want ErrVersionClash", err)
		}
		got, _ := db.Article(ctx, a.ID)
		if got.Headline != "Edited" || got.Version != 2 || got.SectionID != sports.ID || got.Tags[0].Slug != "sport" {
			t.Errorf("after edits got %q v%d section %d tags %v; want Edited v2 in sports with tag sport",
				got.Headline, got.Version, got.SectionID, got.Tags)
		}
		missing := *a
		missing.ID = 777
		if err := db.UpdateArticle(ctx, &missing, 1); !errors.Is(err, article.ErrNotFound) {
			t.Errorf("missing article: got %v, want ErrNotFound", err)
		}
	})
}

func TestTopStories_keepEditorOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		var ids []int64
		for i := 0; i < 3; i++ {
			a := newArticle(politics.ID, "S", time.Now().Add(time.Duration(i)*time.Minute), author.Author{Name: "K", Email: "k@paper.example"})
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		order := []int64{ids[1], ids[2], ids[0]}
		if err := db.SetTopStories(ctx, order); err != nil {
			t.Fatal(err)
		}
		got, err := db.TopStories(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var gotIDs []int64
		for _, a := range got {
			gotIDs = append(gotIDs, a.ID)
		}
		if diff := cmp.Diff(order, gotIDs); diff != "" {
			t.Errorf("top stories order (-want +got):\n%s", diff)
		}
	})
}

func TestPagesAndSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		p := page.Page{Slug: "about", Title: "About", Body: "x", BodyHTML: "<p>x</p>", UpdatedAt: time.Now().UTC().Truncate(time.Millisecond)}
		if err := db.SavePage(ctx, &p); err != nil {
			t.Fatal(err)
		}
		p.Title = "About us"
		if err := db.SavePage(ctx, &p); err != nil {
			t.Fatal(err)
		}
		got, err := db.PageBySlug(ctx, "about")
		if err != nil || got.Title != "About us" {
			t.Errorf("page = %+v, %v; want title About us", got, err)
		}
		if _, err := db.PageBySlug(ctx, "missing"); !errors.Is(err, page.ErrNotFound) {
			t.Errorf("missing page: got %v, want ErrNotFound", err)
		}
		if err := db.SetSetting(ctx, "locale", "ko"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetSetting(ctx, "locale", "en"); err != nil {
			t.Fatal(err)
		}
		s, err := db.Settings(ctx)
		if err != nil || s["locale"] != "en" {
			t.Errorf("settings = %v, %v; want locale en", s, err)
		}
	})
}

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		s, err := db.EnsureStaff(ctx, account.Staff{Email: "ed@paper.example", Name: "Ed", Role: account.Editor})
		if err != nil {
			t.Fatal(err)
		}
		again, err := db.EnsureStaff(ctx, account.Staff{Email: "ed@paper.example", Name: "Other", Role: account.Admin})
		if err != nil || again.ID != s.ID || again.Role != account.Editor {
			t.Errorf("EnsureStaff again = %+v, %v; want the existing editor", again, err)
		}
		plain, hash, err := account.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateToken(ctx, s.ID, hash); err != nil {
			t.Fatal(err)
		}
		got, err := db.StaffByToken(ctx, account.HashToken(plain))
		if err != nil || got.ID != s.ID {
			t.Errorf("StaffByToken = %+v, %v; want staff %d", got, err, s.ID)
		}
		if ok, err := db.RevokeToken(ctx, hash); !ok || err != nil {
			t.Errorf("revoke = %v, %v; want true", ok, err)
		}
		if _, err := db.StaffByToken(ctx, hash); !errors.Is(err, account.ErrBadToken) {
			t.Errorf("revoked token: got %v, want ErrBadToken", err)
		}
	})
}

// Writers racing to create the same new author and tag both succeed and
// share one author and one tag.
func TestCreateArticle_concurrentNewAuthorAndTag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		const n = 8
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			go func() {
				a := newArticle(politics.ID, "Race", time.Now(), author.Author{Name: "New Writer", Email: "new@paper.example"})
				a.Tags = []article.Tag{{Slug: "fresh", Name: "Fresh"}}
				errs <- db.CreateArticle(ctx, a)
			}()
		}
		for i := 0; i < n; i++ {
			if err := <-errs; err != nil {
				t.Errorf("concurrent create: %v", err)
			}
		}
		authors, _ := db.Authors(ctx)
		if len(authors) != 1 {
			t.Errorf("%d authors, want 1", len(authors))
		}
		tag, err := db.TagBySlug(ctx, "fresh")
		if err != nil {
			t.Fatal(err)
		}
		list, _ := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), TagID: tag.ID, Limit: 100})
		if len(list) != n {
			t.Errorf("%d articles carry the tag, want %d", len(list), n)
		}
	})
}

func TestSaveAuthor_refusesTakenEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		a := author.Author{Name: "Kim Min-ji", Email: "kim@paper.example"}
		if err := db.SaveAuthor(ctx, &a); err != nil {
			t.Fatal(err)
		}
		b := author.Author{Name: "Kim Min-ji", Email: "other@paper.example"}
		if err := db.SaveAuthor(ctx, &b); err != nil || b.Slug != "kim-min-ji-2" {
			t.Errorf("same name: slug %q, %v; want kim-min-ji-2", b.Slug, err)
		}
		c := author.Author{Name: "Someone", Email: "kim@paper.example"}
		if err := db.SaveAuthor(ctx, &c); !errors.Is(err, author.ErrEmailTaken) {
			t.Errorf("taken email: got %v, want ErrEmailTaken", err)
		}
	})
}
