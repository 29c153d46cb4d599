package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/author"
)

// listDraft stores a draft readers cannot find, with a word the test
// searches for, in the first section below a top one.
func listDraft(t *testing.T, s *newsroomSite, headline string) {
	t.Helper()
	ctx := context.Background()
	secs, err := s.db.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	a := &article.Article{Slug: article.Slugify(headline), Headline: headline, Body: "The quayside zephyrine lamps are lit at dusk.",
		BodyHTML: "<p>The quayside zephyrine lamps are lit at dusk.</p>", SectionID: secs[0].ID, Status: article.Draft,
		CreatedAt: now, UpdatedAt: now, Authors: []author.Author{{Name: "Mina Park", Email: "mina.park@paper.example"}}}
	if err := s.db.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
}

// listRows are the headlines the list shows.
func listRows(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return texts(t, ctx, ".list-table .list-headline a")
}

// listFitsWidth fails when the page scrolls sideways at width.
func listFitsWidth(t *testing.T, ctx context.Context, width int, where string) {
	t.Helper()
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > width {
		t.Errorf("%s at %d px: the page is %d px wide and scrolls sideways", where, width, w)
	}
}

// An editor searches the list for a draft's word through the form, then
// narrows it with the filters, at a desktop width and on a phone, in
// English and in Korean.
func TestList_searchAndFiltersThroughTheForm(t *testing.T) {
	s := startNewsroomSite(t)
	listDraft(t, s, "Zephyrine lamps on the quay")
	ed := s.signInTab(t, account.Editor)
	for _, lang := range []string{"en", "ko"} {
		for _, width := range []int{1280, 360} {
			name := lang + "-" + map[int]string{1280: "1280", 360: "360"}[width]
			do(t, ed, chromedp.EmulateViewport(int64(width), 800))
			s.open(t, ed, "/newsroom/articles?lang="+lang)
			listFitsWidth(t, ed, width, "the whole list")
			// The search box is always in sight; the filters fold away on
			// a phone and stay open on a desktop.
			if !eval[bool](t, ed, `document.querySelector("#list-q").checkVisibility()`) {
				t.Errorf("%s: the search box is hidden", name)
			}
			statusShown := eval[bool](t, ed, `document.querySelector("#list-status").checkVisibility()`)
			if width == 360 && statusShown {
				t.Errorf("%s: the filters are not folded away on a phone", name)
			}
			if width == 1280 && !statusShown {
				t.Errorf("%s: the filters are hidden on a desktop", name)
			}
			viewScreenshot(t, ed, "list-all-"+name)

			setValue(t, ed, "#list-q", "zephyrine")
			if st := s.submit(t, ed, ".list-search button[type=submit]"); st != 200 {
				t.Fatalf("%s: search answered %d", name, st)
			}
			if got := listRows(t, ed); len(got) != 1 || got[0] != "Zephyrine lamps on the quay" {
				t.Errorf("%s: search for a draft's word found %q", name, got)
			}
			listFitsWidth(t, ed, width, "the search's results")

			if width == 360 {
				do(t, ed, chromedp.Click(".list-filters summary"))
			}
			setValue(t, ed, "#list-status", "published")
			if st := s.submit(t, ed, ".list-filter-actions button[type=submit]"); st != 200 {
				t.Fatalf("%s: filters answered %d", name, st)
			}
			if got := listRows(t, ed); len(got) != 0 {
				t.Errorf("%s: published only, the draft is still listed: %q", name, got)
			}
			loc := location(t, ed)
			if !strings.Contains(eval[string](t, ed, `location.search`), "status=published") {
				t.Errorf("%s: the filter is not in the address %s", name, loc)
			}
			if width == 360 {
				do(t, ed, chromedp.Click(".list-filters summary"))
			}
			setValue(t, ed, "#list-status", "draft")
			setValue(t, ed, "#list-author", "mina-park")
			setValue(t, ed, "#list-sort", "headline")
			setValue(t, ed, "#list-order", "asc")
			s.submit(t, ed, ".list-filter-actions button[type=submit]")
			if got := listRows(t, ed); len(got) != 1 {
				t.Errorf("%s: draft by Mina Park: %q", name, got)
			}
			listFitsWidth(t, ed, width, "the filtered list")
			screenshot(t, ed, "list-filtered-"+name)

			// A bad date typed into the address is refused in words.
			resp := run(t, ed, chromedp.NavigateResponse(s.base+"/newsroom/articles?lang="+lang+"&from=2026-02-30"))
			if resp.Status != 400 || count(t, ed, ".list-problem") != 1 {
				t.Errorf("%s: a bad date answered %d without a sentence", name, resp.Status)
			}
			listFitsWidth(t, ed, width, "the refusal")
		}
	}
	// A column's header sorts by it, and again the other way round.
	do(t, ed, chromedp.EmulateViewport(1280, 800))
	s.open(t, ed, "/newsroom/articles")
	if _, err := chromedp.RunResponse(ed, chromedp.Click(`.list-table th a[href*="sort=headline"]`)); err != nil {
		t.Fatal(err)
	}
	if sorted := eval[string](t, ed, `document.querySelector('th[aria-sort]').getAttribute("aria-sort")`); sorted != "ascending" {
		t.Errorf("after a click on Headline: aria-sort %q", sorted)
	}
	rows := listRows(t, ed)
	for i := 1; i < len(rows); i++ {
		if strings.ToLower(rows[i-1]) > strings.ToLower(rows[i]) {
			t.Errorf("headlines not A to Z: %q before %q", rows[i-1], rows[i])
		}
	}
}
