package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/search"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// listFixture holds articles in every state for the newsroom's list.
type listFixture struct {
	db                                 *store.DB
	published, rowing, draft, review   *article.Article
	scheduled, korean                  *article.Article
	national, politics, sports, minaID int64
	base                               time.Time
}

func newListFixture(t *testing.T, e storetest.Engine) listFixture {
	t.Helper()
	ctx := context.Background()
	db := e.Open(t)
	national, politics, sports := seedSections(t, db)
	base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	mina := author.Author{Name: "Mina Park", Email: "mina@paper.example"}
	jun := author.Author{Name: "Jun Lee", Email: "jun@paper.example"}
	mk := func(sec int64, st article.Status, headline, body string, day int, by author.Author) *article.Article {
		a := newArticle(sec, headline, base.AddDate(0, 0, day), by)
		a.Body, a.BodyHTML, a.Status = body, "<p>"+body+"</p>", st
		a.UpdatedAt = base.AddDate(0, 0, day).Add(time.Hour)
		switch st {
		case article.Draft, article.Review:
			a.PublishedAt = time.Time{}
		case article.Scheduled:
			a.PublishedAt = base.AddDate(0, 1, 0)
		}
		if err := db.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	f := listFixture{db: db, national: national.ID, politics: politics.ID, sports: sports.ID, base: base}
	f.published = mk(politics.ID, article.Published, "Harbour budget approved", "The council voted late on Tuesday.", 0, jun)
	f.rowing = mk(sports.ID, article.Published, "Rowing club wins the cup", "The club trained on the river all winter.", 2, jun)
	f.draft = mk(politics.ID, article.Draft, "Ferry timetable draft", "The harbour ferries change their hours in spring.", 5, mina)
	f.review = mk(national.ID, article.Review, "Tram fares under review", "Fares rise by a tenth.", 3, mina)
	f.scheduled = mk(sports.ID, article.Scheduled, "Regatta on the harbour", "Boats race on Sunday.", 4, jun)
	f.korean = mk(politics.ID, article.Draft, "시의회 예산 초안", "서울에서 열린 회의에서 예산안이 논의됐다.", 6, mina)
	au, err := db.AuthorBySlug(ctx, "mina-park")
	if err != nil {
		t.Fatal(err)
	}
	f.minaID = au.ID
	return f
}

func listIDs(t *testing.T, db *store.DB, q article.ListQuery) []int64 {
	t.Helper()
	if q.Scope == (article.Scope{}) {
		q.Scope = article.SystemScope()
	}
	list, err := db.ListArticles(context.Background(), q)
	if err != nil {
		t.Fatalf("list %+v: %v", q, err)
	}
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	return ids
}

func ids(as ...*article.Article) []int64 {
	out := make([]int64, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func sameSet(got, want []int64) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

func TestNewsroomList_searchFindsUnpublishedButReadersDoNot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newListFixture(t, e)
		ctx := context.Background()
		q := article.ListQuery{Text: "harbour", Sort: article.SortUpdated}
		if got, want := listIDs(t, f.db, q), ids(f.draft, f.scheduled, f.published); !slices.Equal(got, want) {
			t.Errorf("newsroom search: got %v, want %v (draft, scheduled, published)", got, want)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "harbour")}); !slices.Equal(got, ids(f.published)) {
			t.Errorf("reader search: got %v, want only the published %d", got, f.published.ID)
		}
		// Korean words in a draft, by their start, as the readers' search.
		if got := listIDs(t, f.db, article.ListQuery{Text: "서울", Sort: article.SortUpdated}); !slices.Equal(got, ids(f.korean)) {
			t.Errorf("Korean draft: got %v, want %d", got, f.korean.ID)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "서울")}); len(got) != 0 {
			t.Errorf("reader search found a Korean draft: %v", got)
		}
		// Prefixes reach a draft's words too.
		if got := listIDs(t, f.db, article.ListQuery{Text: "ferr*", Sort: article.SortUpdated}); !slices.Equal(got, ids(f.draft)) {
			t.Errorf("prefix in a draft: got %v", got)
		}
		// Published, the draft moves to the readers' index and is found
		// once; unpublished again, readers lose it and the newsroom keeps it.
		f.draft.Status, f.draft.PublishedAt = article.Published, f.base.AddDate(0, 0, 7)
		if err := f.db.UpdateArticle(ctx, f.draft, f.draft.Version); err != nil {
			t.Fatal(err)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "ferries")}); !slices.Equal(got, ids(f.draft)) {
			t.Errorf("reader search after publishing: %v", got)
		}
		if got := listIDs(t, f.db, article.ListQuery{Text: "ferries", Sort: article.SortUpdated}); !slices.Equal(got, ids(f.draft)) {
			t.Errorf("newsroom search after publishing: %v", got)
		}
		f.draft.Status, f.draft.PublishedAt = article.Draft, time.Time{}
		if err := f.db.UpdateArticle(ctx, f.draft, f.draft.Version); err != nil {
			t.Fatal(err)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "ferries")}); len(got) != 0 {
			t.Errorf("reader search after unpublishing: %v", got)
		}
		if got := listIDs(t, f.db, article.ListQuery{Text: "ferries", Sort: article.SortUpdated}); !slices.Equal(got, ids(f.draft)) {
			t.Errorf("newsroom search after unpublishing: %v", got)
		}
		// A reader's scope never reaches a draft, even by the newsroom's list.
		if got := listIDs(t, f.db, article.ListQuery{Text: "harbour", Sort: article.SortUpdated, Scope: article.PublicScope()}); !slices.Equal(got, ids(f.published)) {
			t.Errorf("public scope search: %v", got)
		}
		// Words that are not a search are the person's to correct.
		_, err := f.db.ListArticles(ctx, article.ListQuery{Text: "!!!", Sort: article.SortUpdated, Scope: article.SystemScope()})
		var qe *article.QueryError
		if !errors.As(err, &qe) || qe.Field != "q" || !errors.Is(err, search.ErrEmpty) {
			t.Errorf("punctuation only: got %v, want a QueryError on q", err)
		}
	})
}

func TestNewsroomList_filtersAndCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newListFixture(t, e)
		all := ids(f.korean, f.draft, f.scheduled, f.review, f.rowing, f.published)
		for _, c := range []struct {
			name string
			q    article.ListQuery
			want []int64
		}{
			{"all", article.ListQuery{}, all},
			{"status", article.ListQuery{Status: article.Draft}, ids(f.korean, f.draft)},
			{"section and its subsections", article.ListQuery{SectionIDs: []int64{f.national, f.politics}}, ids(f.korean, f.draft, f.review, f.published)},
			{"subsection", article.ListQuery{SectionIDs: []int64{f.politics}}, ids(f.korean, f.draft, f.published)},
			{"author", article.ListQuery{AuthorID: f.minaID}, ids(f.korean, f.draft, f.review)},
			{"changed from", article.ListQuery{ChangedFrom: f.base.AddDate(0, 0, 4)}, ids(f.korean, f.draft, f.scheduled)},
			{"changed to", article.ListQuery{ChangedTo: f.base.AddDate(0, 0, 3)}, ids(f.rowing, f.published)},
			{"search and filters", article.ListQuery{Text: "harbour", Status: article.Scheduled, SectionIDs: []int64{f.sports}}, ids(f.scheduled)},
		} {
			c.q.Sort, c.q.Scope = article.SortUpdated, article.SystemScope()
			if got := listIDs(t, f.db, c.q); !slices.Equal(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
			n, err := f.db.CountArticles(context.Background(), c.q)
			if err != nil || n != len(c.want) {
				t.Errorf("%s: count %d, %v; want %d", c.name, n, err, len(c.want))
			}
		}
	})
}

func TestNewsroomList_sorts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newListFixture(t, e)
		for _, c := range []struct {
			sort article.SortColumn
			asc  []int64
		}{
			{article.SortHeadline, ids(f.draft, f.published, f.scheduled, f.rowing, f.review, f.korean)},
			// national, national/politics (by id), sports (by id)
			{article.SortSection, ids(f.review, f.published, f.draft, f.korean, f.rowing, f.scheduled)},
			{article.SortStatus, ids(f.draft, f.korean, f.review, f.scheduled, f.published, f.rowing)},
			{article.SortUpdated, ids(f.published, f.rowing, f.review, f.scheduled, f.draft, f.korean)},
		} {
			got := listIDs(t, f.db, article.ListQuery{Sort: c.sort, Ascending: true})
			if !slices.Equal(got, c.asc) {
				t.Errorf("%s ascending: got %v, want %v", c.sort, got, c.asc)
			}
			desc := slices.Clone(c.asc)
			slices.Reverse(desc)
			if got := listIDs(t, f.db, article.ListQuery{Sort: c.sort}); !slices.Equal(got, desc) {
				t.Errorf("%s descending: got %v, want %v", c.sort, got, desc)
			}
		}
		// Never published comes last both ways, newest id first among them.
		if got, want := listIDs(t, f.db, article.ListQuery{Sort: article.SortPublished, Ascending: true}), ids(f.published, f.rowing, f.scheduled, f.draft, f.review, f.korean); !slices.Equal(got, want) {
			t.Errorf("published ascending: got %v, want %v", got, want)
		}
		if got, want := listIDs(t, f.db, article.ListQuery{Sort: article.SortPublished}), ids(f.scheduled, f.rowing, f.published, f.korean, f.review, f.draft); !slices.Equal(got, want) {
			t.Errorf("published descending: got %v, want %v", got, want)
		}
	})
}

func TestNewsroomList_pagesNeitherRepeatNorSkip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		var want []int64
		for i := range 23 {
			// Three articles share each time and some headlines repeat,
			// so only the id breaks the ties.
			a := newArticle(politics.ID, fmt.Sprintf("Story %d", i%5), at.Add(time.Duration(i/3)*time.Minute))
			if i%2 == 0 {
				a.Status, a.PublishedAt = article.Draft, time.Time{}
			}
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			want = append(want, a.ID)
		}
		for _, sort := range article.SortColumns {
			for _, asc := range []bool{true, false} {
				var got []int64
				for off := 0; off < 30; off += 4 {
					got = append(got, listIDs(t, db, article.ListQuery{Sort: sort, Ascending: asc, Offset: off, Limit: 4})...)
				}
				if len(got) != len(want) || !sameSet(got, want) {
					t.Errorf("%s asc=%v: pages gave %d articles %v, want each of %d once", sort, asc, len(got), got, len(want))
				}
			}
		}
		n, err := db.CountArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Sort: article.SortUpdated, Offset: 8, Limit: 4})
		if err != nil || n != 23 {
			t.Errorf("count: %d, %v; want 23 whatever the page", n, err)
		}
	})
}

// A rebuild after a bulk load fills the drafts' index from the articles
// without a search key, and leaves the readers' index to the published.
func TestNewsroomList_rebuildKeepsDraftsApart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newListFixture(t, e)
		if err := f.db.RebuildDerived(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got, want := listIDs(t, f.db, article.ListQuery{Text: "harbour", Sort: article.SortUpdated}), ids(f.draft, f.scheduled, f.published); !slices.Equal(got, want) {
			t.Errorf("newsroom search after a rebuild: got %v, want %v", got, want)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "harbour")}); !slices.Equal(got, ids(f.published)) {
			t.Errorf("reader search after a rebuild: got %v", got)
		}
		if got := listIDs(t, f.db, article.ListQuery{Text: "서울", Sort: article.SortUpdated}); !slices.Equal(got, ids(f.korean)) {
			t.Errorf("Korean draft after a rebuild: got %v", got)
		}
	})
}
