package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"
)

// TestReaderSite_axeFindsNoViolations runs axe-core over every page type of
// the reader site, anonymous and signed in, in English and Korean, at 360
// and 1280 px, in the light and the dark colour scheme, and expects no
// violation of any impact. Tap targets are held to WCAG 2.2's 24×24 px too:
// axe's target-size rule, which axe leaves off unless asked (it passes a
// smaller target with room around it, and links inside a line of text).
func TestReaderSite_axeFindsNoViolations(t *testing.T) {
	source := axeSource(t)
	ctx := tourTab(t)

	found := map[violationKey]*violationSeen{}
	var order []violationKey
	states := 0
	reader := tourReader{subject: "tour-accessibility", name: "한서윤",
		comment: "잘 읽었습니다. A clear and fair report."}
	tourReaderSite(t, ctx, reader, func(s pageState) {
		states++
		// Runtime.evaluate runs as the browser's own code, outside the page's
		// Content-Security-Policy (script-src 'self'), so axe needs no
		// exception in the site's headers. Once per document: the colour
		// scheme changes without a reload.
		if !eval[bool](t, ctx, `typeof window.axe === "object"`) {
			do(t, ctx, chromedp.Evaluate[chromedp.Void](source))
		}
		for _, v := range runAxe(t, ctx, s) {
			key := violationKey{Rule: v.ID, Page: s.Page, Targets: strings.Join(v.Targets, ", ")}
			seen := found[key]
			if seen == nil {
				seen = &violationSeen{axeViolation: v, path: s.Path}
				found[key] = seen
				order = append(order, key)
			}
			seen.states = append(seen.states, s.view())
		}
	})
	t.Logf("axe-core checked %d page states", states)
	for _, key := range order {
		v := found[key]
		t.Errorf("%s (%s) on %s %s\n\tin: %s\n\telements (%d): %s\n\t%s\n\t%s\n\t%s",
			v.ID, v.Impact, key.Page, v.path, strings.Join(v.states, "; "),
			v.Nodes, key.Targets, v.Help, oneLine(v.Summary), v.HelpURL)
	}
}

// axeSource returns axe.min.js, which scripts/test installs from the npm
// registry and names in BROADSHEET_TEST_AXE.
func axeSource(t *testing.T) string {
	t.Helper()
	file := os.Getenv("BROADSHEET_TEST_AXE")
	if file == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("BROADSHEET_TEST_AXE is not set; CI=true requires the accessibility tests (scripts/test installs axe-core)")
		}
		t.Skip("axe-core is not installed: scripts/test installs it, or set BROADSHEET_TEST_AXE to axe.min.js")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("BROADSHEET_TEST_AXE: %v", err)
	}
	return string(b)
}

// axeViolation is one rule that failed, as the test reports it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Nodes   int      `json:"nodes"`
	Targets []string `json:"targets"` // the first few elements' selectors
	Summary string   `json:"summary"` // the first element's failure, e.g. its contrast ratio
}

// violationKey groups one failure seen in several states of a page, so the
// log names it once with every state it was found in.
type violationKey struct{ Rule, Page, Targets string }

type violationSeen struct {
	axeViolation
	path   string
	states []string
}

// runAxe runs axe-core once over the document that ctx shows.
func runAxe(t *testing.T, ctx context.Context, s pageState) []axeViolation {
	t.Helper()
	const js = `axe.run(document, {
		resultTypes: ["violations"],
		rules: {"target-size": {enabled: true}},
	}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.length,
		targets: v.nodes.slice(0, 4).map(n => [].concat(n.target).flat().join(" ")),
		summary: v.nodes.length ? v.nodes[0].failureSummary || "" : "",
	})))`
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run on %s: %v", s, err)
	}
	return v
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// The reader tour, which the accessibility test and the screenshots share.

// tourWidths are a small phone and a desktop, in CSS pixels.
var tourWidths = []int64{360, 1280}

var (
	tourLangs   = []string{"en", "ko"}
	tourSchemes = []string{"light", "dark"}
)

// pageState is one page of the reader site as one reader sees it.
type pageState struct {
	Page     string // the page type: "article", "search-none", …
	Path     string // without the language
	SignedIn bool
	Lang     string // "en" or "ko"
	Width    int64  // CSS pixels
	Scheme   string // prefers-color-scheme: "light" or "dark"
}

func (s pageState) view() string {
	return fmt.Sprintf("%s %dpx %s", s.Lang, s.Width, s.Scheme)
}

func (s pageState) String() string {
	return fmt.Sprintf("%s (%s, %s)", s.Page, s.Path, s.view())
}

// fileName names the state's screenshot: article-ko-dark-360.
func (s pageState) fileName() string {
	return fmt.Sprintf("%s-%s-%s-%d", s.Page, s.Lang, s.Scheme, s.Width)
}

// readerPage is a page to visit: what it answers and when it is complete.
type readerPage struct {
	name     string
	path     string
	statuses []int // the statuses it may answer with: usually 200 alone
	// ready is a JavaScript condition that holds once the page's scripts
	// have filled it in (the article's live comment block); "" for none.
	ready string
}

// tourTab opens one tab for a whole tour: every state is visited in it, so
// it lives longer than newTab's.
func tourTab(t *testing.T) context.Context {
	t.Helper()
	ctx, closeTab := chromedp.NewContext(site.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(closeTab)
	ctx, cancel := context.WithTimeout(ctx, 6*time.Minute) // 176 states; two minutes on a loaded machine
	t.Cleanup(cancel)
	do(t, ctx, chromedp.EmulateViewport(1280, 800))
	return ctx
}

var ok = []int{http.StatusOK}

// commentsReady holds once comments.js has put the live comment block
// into the cached article.
const commentsReady = `document.querySelector("#comments[data-article]") !== null`

// tourReader is the reader who signs in on a tour. Each tour has its own,
// so that neither is held back by the pause the site enforces between one
// reader's comments.
type tourReader struct{ subject, name, comment string }

// tourReaderSite visits every page type of the reader site in every
// language, width and colour scheme, and calls check in each state.
//
// The tour's reader signs in first, accepts the policy and
// comments on an article (not the top story, whose comments other tests
// count), so that the comment block is seen with a comment in it, signed in
// and then, after the cookies are cleared, anonymously.
func tourReaderSite(t *testing.T, ctx context.Context, reader tourReader, check func(pageState)) {
	t.Helper()
	open(t, ctx, "/")
	stories := links(t, ctx, topStoryLinks)
	if len(stories) < 2 {
		t.Fatalf("home page: %d top stories, want at least 2", len(stories))
	}
	story := stories[len(stories)-1].Path
	open(t, ctx, story)
	firstLink := func(css string) string {
		t.Helper()
		l := links(t, ctx, css)
		if len(l) == 0 {
			t.Fatalf("article %s: no link matches %q", story, css)
		}
		return l[0].Path
	}
	crumbs := links(t, ctx, breadcrumbLinks)
	if len(crumbs) < 2 {
		t.Fatalf("article %s: breadcrumb %v, want Home and the section at least", story, crumbs)
	}
	tag, author := firstLink(`a[href^="/tag/"]`), firstLink(`a[href^="/author/"]`)
	word := eval[string](t, ctx, `(document.querySelector('a[href^="/dictionary?q="]') || {search: "?q=watchdog"}).search`)
	headline := texts(t, ctx, "h1")
	query := "budget"
	if len(headline) > 0 {
		query = longestWord(headline[0])
	}

	// Signed in: the provider signs in the tour's own reader, who is new
	// and so first sees the policy to accept.
	site.oidc.QueueUser(&mockoidc.MockUser{Subject: reader.subject, Email: reader.subject + "@example.com",
		EmailVerified: true, PreferredUsername: reader.name})
	open(t, ctx, story)
	waitFor(t, ctx, commentsReady)
	follow(t, ctx, `a.login-oidc`)
	if loc := location(t, ctx); !strings.HasPrefix(loc, "/account/policy") {
		t.Fatalf("after signing in: at %s, want the policy to accept", loc)
	}
	policy := strings.Split(location(t, ctx), "?")[0]
	visitAll(t, ctx, true, check, readerPage{name: "policy-to-accept", path: policy, statuses: ok})
	open(t, ctx, policy)
	follow(t, ctx, `button.accept-policy`)

	open(t, ctx, story)
	waitFor(t, ctx, `document.querySelector("#comment-body") !== null`)
	text := reader.comment
	do(t, ctx, chromedp.SendKeys("#comment-body", text), chromedp.Click(".comment-form button[type=submit]"))
	waitFor(t, ctx, `[...document.querySelectorAll(".comment-body")].some(e => e.textContent.includes(`+jsLiteral(text)+`))`)
	profile := firstLink(`#comments a[href^="/reader/"]`)

	withComment := commentsReady + ` && document.querySelector("#comments .comment-body") !== null`
	visitAll(t, ctx, true, check,
		readerPage{name: "article-signed-in", path: story, statuses: ok, ready: withComment},
		readerPage{name: "comments-signed-in", path: story + "/comments", statuses: ok},
		readerPage{name: "account", path: "/account", statuses: ok},
	)

	if _, err := chromedp.CallBrowser(ctx, storage.ClearCookies,
		storage.ClearCookiesParams{BrowserContextID: chromedp.FromContext(ctx).BrowserContextID}); err != nil {
		t.Fatalf("sign out by clearing cookies: %v", err)
	}
	pages := []readerPage{
		{name: "home", path: "/", statuses: ok},
		{name: "section", path: crumbs[1].Path, statuses: ok},
	}
	if sub := subsection(t, ctx, stories); sub != "" {
		pages = append(pages, readerPage{name: "subsection", path: sub, statuses: ok})
	}
	pages = append(pages,
		readerPage{name: "article", path: story, statuses: ok, ready: withComment},
		readerPage{name: "print", path: story + "/print", statuses: ok},
		readerPage{name: "comments", path: story + "/comments", statuses: ok},
		readerPage{name: "tag", path: tag, statuses: ok},
		readerPage{name: "author", path: author, statuses: ok},
		readerPage{name: "reader", path: profile, statuses: ok},
		readerPage{name: "search", path: "/search?q=" + url.QueryEscape(query), statuses: ok},
		readerPage{name: "search-none", path: "/search?q=qzxvkw", statuses: ok},
		readerPage{name: "most-read", path: "/most-read/today", statuses: ok},
		readerPage{name: "page", path: "/page/about", statuses: ok},
		readerPage{name: "dictionary", path: "/dictionary", statuses: ok},
		readerPage{name: "dictionary-word", path: "/dictionary" + word, statuses: ok},
		readerPage{name: "policy", path: "/account/policy", statuses: ok},
		// The account page asks an anonymous reader to log in, as a 401 or as a page.
		readerPage{name: "account-anonymous", path: "/account", statuses: []int{http.StatusOK, http.StatusUnauthorized}},
		readerPage{name: "not-found", path: "/no-such-page", statuses: []int{http.StatusNotFound}},
	)
	visitAll(t, ctx, false, check, pages...)
}

// subsection returns the path of a subsection front, found in the
// breadcrumb of the first top story filed in one, or "" when none is.
func subsection(t *testing.T, ctx context.Context, stories []link) string {
	t.Helper()
	for _, s := range stories {
		open(t, ctx, s.Path)
		if crumbs := links(t, ctx, breadcrumbLinks); len(crumbs) > 2 {
			return crumbs[len(crumbs)-1].Path
		}
	}
	return ""
}

// visitAll opens each page in each language, and calls check at each
// width in the light and then the dark colour scheme. Both change on the
// loaded page, as when a reader turns a tablet or the system turns dark:
// the site adapts to both through media queries, so a page loaded once
// serves four states.
func visitAll(t *testing.T, ctx context.Context, signedIn bool, check func(pageState), pages ...readerPage) {
	t.Helper()
	for _, lang := range tourLangs {
		for _, p := range pages {
			setWidth(t, ctx, tourWidths[0])
			loadPage(t, ctx, p, lang)
			for _, width := range tourWidths {
				setWidth(t, ctx, width)
				for _, scheme := range tourSchemes {
					setColourScheme(t, ctx, scheme)
					check(pageState{Page: p.name, Path: p.path, SignedIn: signedIn, Lang: lang, Width: width, Scheme: scheme})
				}
			}
		}
	}
	setColourScheme(t, ctx, "light")
	setWidth(t, ctx, 1280)
}

// setWidth emulates a phone below 600 px (touch, mobile viewport), a
// desktop above.
func setWidth(t *testing.T, ctx context.Context, width int64) {
	t.Helper()
	if width < 600 {
		do(t, ctx, chromedp.EmulateViewport(width, 780, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
		return
	}
	do(t, ctx, chromedp.EmulateViewport(width, 800))
}

// loadPage opens the page in the language, checks its status and waits
// until its scripts have finished with it.
func loadPage(t *testing.T, ctx context.Context, p readerPage, lang string) {
	t.Helper()
	sep := "?"
	if strings.Contains(p.path, "?") {
		sep = "&"
	}
	path := p.path + sep + "lang=" + lang
	resp := run(t, ctx, chromedp.NavigateResponse(site.baseURL+path))
	if !slices.Contains(p.statuses, int(resp.Status)) {
		t.Fatalf("GET %s (%s): got status %d, want one of %v", path, p.name, resp.Status, p.statuses)
	}
	if p.ready != "" {
		waitFor(t, ctx, p.ready)
	}
	// The fonts, then a quiet moment in which the page fetches nothing
	// more: scripts that fill the page in (the masthead's account, the
	// comments) are done by then.
	_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(async () => {
		await document.fonts.ready;
		let n = -1;
		while (n !== performance.getEntriesByType("resource").length) {
			n = performance.getEntriesByType("resource").length;
			await new Promise(r => setTimeout(r, 40));
		}
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: waiting for the page to settle: %v", path, err)
	}
}

// setColourScheme emulates prefers-color-scheme.
func setColourScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		t.Fatalf("emulate prefers-color-scheme: %s: %v", scheme, err)
	}
}

// longestWord returns the longest word of a headline, which the search
// should find.
func longestWord(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') })
	if len(words) == 0 {
		return s
	}
	return slices.MaxFunc(words, func(a, b string) int { return len(a) - len(b) })
}
