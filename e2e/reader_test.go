package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReader_followsBreadcrumbAndPrint walks the path of a reader: home page,
// a top story, its section through the breadcrumb, back, and the print view.
func TestReader_followsBreadcrumbAndPrint(t *testing.T) {
	ctx := newTab(t)

	open(t, ctx, "/")
	if got, want := run(t, ctx, chromedp.Title()), "Broadsheet Daily"; got != want {
		t.Errorf("home page title: got %q, want %q", got, want)
	}
	if got := count(t, ctx, "h1"); got != 1 {
		t.Errorf("home page: got %d h1 elements, want 1", got)
	}
	stories := links(t, ctx, topStoryLinks)
	if len(stories) == 0 {
		t.Fatalf("home page: no top stories (%q)", topStoryLinks)
	}
	story := stories[0]

	follow(t, ctx, chromedp.CSS(topStoryLinks))
	if got := location(t, ctx); got != story.Path {
		t.Fatalf("after clicking the first top story: at %s, want %s", got, story.Path)
	}
	bylines := checkArticlePage(t, ctx, story)

	// The breadcrumb's last link leads to the article's own section.
	crumbs := links(t, ctx, breadcrumbLinks)
	section := crumbs[len(crumbs)-1]
	follow(t, ctx, chromedp.CSS(fmt.Sprintf(`%s[href=%q]`, breadcrumbLinks, section.Path)))
	if got := location(t, ctx); got != section.Path {
		t.Fatalf("after clicking breadcrumb %q: at %s, want %s", section.Text, got, section.Path)
	}
	if got := texts(t, ctx, "h1"); !slices.Equal(got, []string{section.Text}) {
		t.Errorf("section front h1: got %q, want [%q]", got, section.Text)
	}
	// The front lists it, as its lead story or among the cards.
	if !slices.Contains(links(t, ctx, ".story-lead h2 a, .article-list .card-headline a"), story) {
		t.Errorf("section front %s does not list %q (%s)", section.Path, story.Text, story.Path)
	}

	const printLink = `.article-tools a[href$="/print"]`
	do(t, ctx, chromedp.NavigateBack())
	if got := location(t, ctx); got != story.Path {
		t.Fatalf("after going back: at %s, want %s", got, story.Path)
	}
	if got := texts(t, ctx, printLink); !slices.Equal(got, []string{"Print"}) {
		t.Fatalf("print link %s: got texts %q, want [\"Print\"]", printLink, got)
	}
	follow(t, ctx, chromedp.CSS(printLink))
	if got, want := location(t, ctx), story.Path+"/print"; got != want {
		t.Fatalf("after clicking Print: at %s, want %s", got, want)
	}
	checkPrintView(t, ctx, story, bylines)
}

const breadcrumbLinks = `nav[aria-label="Breadcrumb"] a`

// checkArticlePage checks the headline, breadcrumb, bylines and structured
// data of the article page that ctx shows, and returns the bylines' texts.
func checkArticlePage(t *testing.T, ctx context.Context, story link) []string {
	t.Helper()
	if got := texts(t, ctx, "h1"); !slices.Equal(got, []string{story.Text}) {
		t.Errorf("article h1: got %q, want exactly [%q]", got, story.Text)
	}

	// The demo's first top story is in National > Politics; if the demo
	// changes, pick a politics story for this test rather than relax it.
	wantCrumbs := []string{"Home", "National", "Politics"}
	crumbs := links(t, ctx, breadcrumbLinks)
	var names []string
	for _, c := range crumbs {
		names = append(names, c.Text)
	}
	if !slices.Equal(names, wantCrumbs) {
		t.Fatalf("breadcrumb links (%s): got %q, want %q", breadcrumbLinks, names, wantCrumbs)
	}

	type byline struct {
		Text    string   `json:"text"`
		Mailtos []string `json:"mailtos"`
	}
	bylines := eval[[]byline](t, ctx, `[...document.querySelectorAll("p.byline")].map(p => ({
		text: p.textContent.trim(),
		mailtos: [...p.querySelectorAll('a[href^="mailto:"]')].map(a => a.getAttribute("href")),
	}))`)
	if len(bylines) == 0 {
		t.Error("article: no p.byline")
	}
	var bylineTexts []string
	for _, b := range bylines {
		bylineTexts = append(bylineTexts, b.Text)
		if !strings.HasPrefix(b.Text, "BY ") || len(b.Mailtos) == 0 {
			t.Errorf("byline %q: want it to start with \"BY \" and hold a mailto: link, got links %q", b.Text, b.Mailtos)
		}
	}

	var kinds []string
	for _, raw := range texts(t, ctx, `script[type="application/ld+json"]`) {
		var doc struct {
			Type  string `json:"@type"`
			Items []struct {
				Name string `json:"name"`
			} `json:"itemListElement"`
		}
		if err := json.Unmarshal([]byte(raw), &doc); err != nil {
			t.Errorf("JSON-LD %s: %v", raw, err)
			continue
		}
		kinds = append(kinds, doc.Type)
		if doc.Type != "BreadcrumbList" {
			continue
		}
		var items []string
		for _, it := range doc.Items {
			items = append(items, it.Name)
		}
		if !slices.Equal(items, wantCrumbs) {
			t.Errorf("JSON-LD BreadcrumbList names: got %q, want %q", items, wantCrumbs)
		}
	}
	if !slices.Contains(kinds, "BreadcrumbList") {
		t.Errorf("JSON-LD types: got %q, want a BreadcrumbList", kinds)
	}
	return bylineTexts
}

// checkPrintView checks that the print view has the article's headline,
// bylines and canonical address, and none of the site's navigation.
func checkPrintView(t *testing.T, ctx context.Context, story link, bylines []string) {
	t.Helper()
	if got := texts(t, ctx, "h1"); !slices.Equal(got, []string{story.Text}) {
		t.Errorf("print view h1: got %q, want [%q]", got, story.Text)
	}
	if got := texts(t, ctx, "p.byline"); !slices.Equal(got, bylines) {
		t.Errorf("print view bylines: got %q, want the article's %q", got, bylines)
	}

	// The canonical address is printed in full, since paper has no links,
	// and it names the article, not its print view.
	canonical := texts(t, ctx, "p.canonical a")
	if len(canonical) != 1 {
		t.Fatalf("print view: got canonical links %q, want one", canonical)
	}
	u, err := url.Parse(canonical[0])
	if err != nil || !u.IsAbs() || u.Path != story.Path {
		t.Errorf("print view canonical URL text: got %q, want an absolute URL with path %s", canonical[0], story.Path)
	}
	if got := eval[string](t, ctx, `document.querySelector('link[rel="canonical"]').getAttribute("href")`); got != canonical[0] {
		t.Errorf("print view <link rel=canonical>: got %q, want the printed %q", got, canonical[0])
	}

	for _, css := range []string{"nav", `[aria-label="Breadcrumb"]`, ".breadcrumb", ".main-nav", "footer nav", ".site-footer"} {
		if n := count(t, ctx, css); n != 0 {
			t.Errorf("print view: got %d elements matching %q, want none", n, css)
		}
	}
}
