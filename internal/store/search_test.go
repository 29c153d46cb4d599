package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/search"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// searchFixture stores a few articles whose words the tests look for.
type searchFixture struct {
	db                          *store.DB
	headlineHit, bodyHit, korea *article.Article
	politics, sports            int64
	mina                        author.Author
	base                        time.Time
}

func newSearchFixture(t *testing.T) func(e storetest.Engine) searchFixture {
	return func(e storetest.Engine) searchFixture {
		t.Helper()
		ctx := context.Background()
		db := e.Open(t)
		_, politics, sports := seedSections(t, db)
		base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		mina := author.Author{Name: "Mina Park", Email: "mina@paper.example"}
		jun := author.Author{Name: "Jun Lee", Email: "jun@paper.example"}
		mk := func(sec int64, headline, body string, day int, by author.Author) *article.Article {
			a := newArticle(sec, headline, base.AddDate(0, 0, day), by)
			a.Body, a.BodyHTML = body, "<p>"+body+"</p>"
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		f := searchFixture{db: db, politics: politics.ID, sports: sports.ID, base: base}
		f.bodyHit = mk(politics.ID, "Council meets on Tuesday", "The harbour budget was the first item; the harbour master spoke.", 1, mina)
		f.headlineHit = mk(politics.ID, "Harbour budget approved", "The council voted late on Tuesday.", 0, jun)
		mk(sports.ID, "Rowing club wins the cup", "The club trained on the river all winter.", 2, jun)
		f.korea = mk(politics.ID, "서울시의회, 예산안 통과", "서울에서 열린 회의에서 예산안이 통과됐다. 시민들은 환영했다.", 3, mina)
		draft := newArticle(politics.ID, "Harbour secret draft", base, mina)
		draft.Status, draft.PublishedAt = article.Draft, time.Time{}
		if err := db.CreateArticle(ctx, draft); err != nil {
			t.Fatal(err)
		}
		f.mina = mina
		return f
	}
}

func searchIDs(t *testing.T, db *store.DB, q search.Query) []int64 {
	t.Helper()
	hits, err := db.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q.Terms, err)
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.Article.ID
	}
	return ids
}

func terms(t *testing.T, s string) search.Terms {
	t.Helper()
	tm, err := search.Parse(s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return tm
}

func TestSearch_rankingPhrasePrefixFiltersAndKorean(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newSearchFixture(t)(e)
		ctx := context.Background()
		// A headline match ranks above a body match, whatever the dates.
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "harbour budget")}); fmt.Sprint(got) != fmt.Sprint([]int64{f.headlineHit.ID, f.bodyHit.ID}) {
			t.Errorf("ranking: got %v, want headline match %d then body match %d (and no draft)", got, f.headlineHit.ID, f.bodyHit.ID)
		}
		// Newest first when asked.
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "harbour"), Sort: search.Newest}); fmt.Sprint(got) != fmt.Sprint([]int64{f.bodyHit.ID, f.headlineHit.ID}) {
			t.Errorf("newest first: %v", got)
		}
		// A phrase needs its words in order; the loose words do not.
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, `"harbour master"`)}); fmt.Sprint(got) != fmt.Sprint([]int64{f.bodyHit.ID}) {
			t.Errorf("phrase: %v", got)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, `"master harbour"`)}); len(got) != 0 {
			t.Errorf("reversed phrase matched %v", got)
		}
		// Words match whole; a star asks for a prefix: "harb*" finds both.
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "harb*")}); len(got) != 2 {
			t.Errorf("prefix harb*: %v", got)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "harb")}); len(got) != 0 {
			t.Errorf("whole word harb: %v", got)
		}
		// Bylines and tags are searched too.
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "mina park")}); len(got) != 2 {
			t.Errorf("by author name: %v", got)
		}
		// Korean: a word and a word stem with its particle.
		for _, q := range []string{"서울", "예산안", "서울시의회", "회의"} {
			if got := searchIDs(t, f.db, search.Query{Terms: terms(t, q)}); fmt.Sprint(got) != fmt.Sprint([]int64{f.korea.ID}) {
				t.Errorf("Korean %q: %v", q, got)
			}
		}
		// Filters: section, author, dates.
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "the"), SectionIDs: []int64{f.sports}}); len(got) != 1 {
			t.Errorf("section filter: %v", got)
		}
		a, err := f.db.AuthorBySlug(ctx, "mina-park")
		if err != nil {
			t.Fatal(err)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "harbour"), AuthorID: a.ID}); fmt.Sprint(got) != fmt.Sprint([]int64{f.bodyHit.ID}) {
			t.Errorf("author filter: %v", got)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "harbour"), From: f.base.AddDate(0, 0, 1)}); fmt.Sprint(got) != fmt.Sprint([]int64{f.bodyHit.ID}) {
			t.Errorf("from filter: %v", got)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "harbour"), To: f.base.AddDate(0, 0, 1)}); fmt.Sprint(got) != fmt.Sprint([]int64{f.headlineHit.ID}) {
			t.Errorf("to filter: %v", got)
		}
		// Snippets mark the words, as escaped HTML.
		hits, err := f.db.Search(ctx, search.Query{Terms: terms(t, "master")})
		if err != nil || len(hits) != 1 || !strings.Contains(hits[0].Snippet, "<mark>master</mark>") {
			t.Errorf("snippet: %+v %v", hits, err)
		}
		// Unpublishing takes an article out of the index; editing updates it.
		f.headlineHit.Status = article.Draft
		if err := f.db.UpdateArticle(ctx, f.headlineHit, f.headlineHit.Version); err != nil {
			t.Fatal(err)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "approved")}); len(got) != 0 {
			t.Errorf("an unpublished article is found: %v", got)
		}
		f.bodyHit.Headline = "Council meets about the lighthouse"
		if err := f.db.UpdateArticle(ctx, f.bodyHit, f.bodyHit.Version); err != nil {
			t.Fatal(err)
		}
		if got := searchIDs(t, f.db, search.Query{Terms: terms(t, "lighthouse")}); len(got) != 1 {
			t.Errorf("an edited headline is not found: %v", got)
		}
	})
}

// Pages of results, by relevance or by date, list every match once.
func TestSearch_pagingHasNoGapsOrDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		const n = 23
		for i := 0; i < n; i++ {
			a := newArticle(politics.ID, fmt.Sprintf("Tide report %d", i), base.Add(time.Duration(i%5)*time.Hour))
			// Scores repeat (the same words) and times repeat (i%5): the
			// cursor's id must break the ties.
			a.Body = strings.Repeat("tide ", 1+i%3)
			a.BodyHTML = "<p>" + a.Body + "</p>"
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		for _, sort := range []search.Sort{search.Relevance, search.Newest} {
			seen := map[int64]bool{}
			var after search.Cursor
			pages := 0
			for {
				hits, err := db.Search(ctx, search.Query{Terms: terms(t, "tide"), Sort: sort, After: after, Limit: 5})
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range hits {
					if seen[h.Article.ID] {
						t.Fatalf("%s: %d listed twice", sort, h.Article.ID)
					}
					seen[h.Article.ID] = true
				}
				if len(hits) < 5 {
					break
				}
				last := hits[len(hits)-1]
				after = search.Cursor{Score: last.Score, PublishedAt: last.Article.PublishedAt, ID: last.Article.ID}
				// Through the URL form, as the page and the API pass it on.
				if after, err = search.ParseCursor(after.String(sort), sort); err != nil {
					t.Fatal(err)
				}
				pages++
			}
			if len(seen) != n {
				t.Errorf("%s: %d results over %d pages, want %d", sort, len(seen), pages+1, n)
			}
		}
		// The count is the whole search's, on every page.
		for _, q := range []search.Query{{Terms: terms(t, "tide")}, {Terms: terms(t, "tide"), Sort: search.Newest, Limit: 5, After: search.Cursor{ID: 3, PublishedAt: base.Add(time.Hour)}}} {
			if got, err := db.SearchCount(ctx, q); err != nil || got != n {
				t.Errorf("count of %+v: %d, %v; want %d", q.Sort, got, err, n)
			}
		}
		if got, err := db.SearchCount(ctx, search.Query{Terms: terms(t, "harbour")}); err != nil || got != 0 {
			t.Errorf("count of no match: %d, %v", got, err)
		}
	})
}

// Past Candidates matches the count stops at Candidates+1 ("more than
// Candidates"): it costs what one search does, however many match.
func TestSearchCount_stopsPastCandidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i < store.Candidates+5; i++ {
			a := newArticle(politics.ID, fmt.Sprintf("Ferry timetable %d", i), base.Add(time.Duration(i)*time.Minute))
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := db.SearchCount(ctx, search.Query{Terms: terms(t, "ferry")}); err != nil || got != store.Candidates+1 {
			t.Errorf("count: %d, %v; want %d", got, err, store.Candidates+1)
		}
		// A date range narrows what is counted.
		q := search.Query{Terms: terms(t, "ferry"), From: base, To: base.Add(10 * time.Minute)}
		if got, err := db.SearchCount(ctx, q); err != nil || got != 10 {
			t.Errorf("count from %s to %s: %d, %v; want 10", q.From, q.To, got, err)
		}
	})
}

// By relevance, the whole query in the headline ranks first, then in the
// deck, bylines and tags, then in the body only; newer first within each.
func TestSearch_relevanceTiers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		base := time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)
		mk := func(day int, headline, deck, body string) int64 {
			a := newArticle(politics.ID, headline, base.AddDate(0, 0, day))
			a.Deck, a.Body, a.BodyHTML = deck, body, "<p>"+body+"</p>"
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		bodyNew := mk(5, "Ferry timetable", "Summer sailings", "The lighthouse keeper retires.")
		deckOld := mk(1, "Coast news", "A lighthouse keeper remembers", "Forty years of storms.")
		headOld := mk(0, "Lighthouse keeper retires", "After forty years", "Storms and ships.")
		headNew := mk(3, "The last lighthouse keeper", "A quiet job", "Ships pass by.")
		bodyOld := mk(2, "Harbour fees", "Council vote", "A keeper of the lighthouse spoke.")
		want := fmt.Sprint([]int64{headNew, headOld, deckOld, bodyNew, bodyOld})
		if got := searchIDs(t, db, search.Query{Terms: terms(t, "lighthouse keeper")}); fmt.Sprint(got) != want {
			t.Errorf("tiers: got %v, want %v", got, want)
		}
		// A phrase must be whole within the tier's columns.
		want = fmt.Sprint([]int64{headNew, headOld, deckOld, bodyNew})
		if got := searchIDs(t, db, search.Query{Terms: terms(t, `"lighthouse keeper"`)}); fmt.Sprint(got) != want {
			t.Errorf("phrase tiers: got %v, want %v", got, want)
		}
	})
}

// A prefix is searched through the words it stands for, or through the
// engine's own prefix search when it stands for very many; the results
// are the same.
func TestSearch_prefixExpansion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		var many []string
		for i := 0; i < 70; i++ {
			many = append(many, fmt.Sprintf("zqab%d", i))
		}
		mk := func(headline, body string) int64 {
			a := newArticle(politics.ID, headline, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
			a.Body, a.BodyHTML = body, "<p>"+body+"</p>"
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		few := mk("Harbour dues", "Harbourmasters and harbours.")
		lots := mk("Word list", strings.Join(many, " "))
		accent := mk("Café owners meet", "Coffee prices.")
		cases := map[string][]int64{
			"harbou*": {few}, "harbourm*": {few}, "harbourx*": nil,
			"zqab*": {lots}, "zqab6*": {lots}, "caf*": {accent}, "café*": {accent},
		}
		if e.Name == "sqlite" {
			cases["cafe"] = []int64{accent} // accents are folded on SQLite only (docs/search.md)
		}
		for q, want := range cases {
			got := searchIDs(t, db, search.Query{Terms: terms(t, q)})
			if fmt.Sprint(got) != fmt.Sprint(want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("%q: got %v, want %v", q, got, want)
			}
		}
	})
}

// Dates at the edges: articles from before 1970 are found, and date
// bounds and cursors far in the future neither wrap nor hide anything.
func TestSearch_datesAtTheEdges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		var ids []int64
		for _, at := range []time.Time{time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC), time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)} {
			a := newArticle(politics.ID, "Apollo report", at)
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			ids = append([]int64{a.ID}, ids...)
		}
		all := fmt.Sprint(ids)
		far := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
		for name, q := range map[string]search.Query{
			"no bounds":          {},
			"to in 2299":         {To: time.Date(2299, 12, 31, 0, 0, 0, 0, time.UTC)},
			"to in 9999":         {To: far},
			"from in 1900":       {From: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
			"newest, far cursor": {Sort: search.Newest, After: search.Cursor{PublishedAt: far, ID: 1 << 40}},
		} {
			q.Terms = terms(t, "apollo")
			if q.Sort == "" {
				q.Sort = search.Newest
			}
			if got := fmt.Sprint(searchIDs(t, db, q)); got != all {
				t.Errorf("%s: got %s, want %s", name, got, all)
			}
		}
		if got := searchIDs(t, db, search.Query{Terms: terms(t, "apollo"), To: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}); fmt.Sprint(got) != fmt.Sprint(ids[2:]) {
			t.Errorf("to 1970: got %v, want the 1969 article", got)
		}
	})
}
