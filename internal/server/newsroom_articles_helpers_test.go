package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/config"
	"broadsheet/internal/site"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// withClock runs the site on clock, with the scheduler looking often.
func withClock(clock *testClock) option {
	return func(c *config.Config) {
		c.Clock = clock.Now
		c.SchedulerEvery = 20 * time.Millisecond
	}
}

// articleForm is the editor's form for a new article, as a browser fills
// it in.
func articleForm(headline string) url.Values {
	return url.Values{
		"headline": {headline},
		"deck":     {"A short deck that says why it matters"},
		"body":     {"The council met on Tuesday.\n\nIt voted to keep the **night buses** running."},
		"section":  {"national/politics"},
		"authors":  {"Mina Park <mina.park@paper.example>"},
		"tags":     {"Transport, City Council"},
		"action":   {"save"},
	}
}

var editorPath = regexp.MustCompile(`^/newsroom/articles/(\d+)\?done=`)

// createArticle posts a new article through the editor and returns its id.
func (b *staffBrowser) createArticle(t *testing.T, form url.Values) int64 {
	t.Helper()
	res, body := b.post(t, "/newsroom/articles/new", form)
	m := editorPath.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create article: %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// editorForm opens an article's editor and returns its fields as the form
// would send them, with the version it was drawn from.
func (b *staffBrowser) editorForm(t *testing.T, id int64) url.Values {
	t.Helper()
	res, body := b.get(t, "/newsroom/articles/"+strconv.FormatInt(id, 10))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("editor of %d: %d\n%s", id, res.StatusCode, body)
	}
	a, err := b.ts.db.Article(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	m := versionField.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the editor has no version field")
	}
	f := articleValues(t, b.ts, a)
	f.Set("version", m[1])
	return f
}

// articleValues are a's fields as the editor's form sends them.
func articleValues(t *testing.T, ts *testServer, a article.Article) url.Values {
	t.Helper()
	f := url.Values{"headline": {a.Headline}, "deck": {a.Deck}, "body": {a.Body}, "version": {strconv.Itoa(a.Version)}, "action": {"save"}}
	sec, err := ts.db.SectionByID(context.Background(), a.SectionID)
	if err != nil {
		t.Fatal(err)
	}
	f.Set("section", sec.Path)
	var bylines, tags []string
	for _, au := range a.Authors {
		bylines = append(bylines, au.Name+" <"+au.Email+">")
	}
	for _, tg := range a.Tags {
		tags = append(tags, tg.Name)
	}
	f.Set("authors", strings.Join(bylines, "\n"))
	f.Set("tags", strings.Join(tags, ", "))
	f.Set("image_url", a.LeadImage.URL)
	f.Set("image_alt", a.LeadImage.Alt)
	f.Set("image_caption", a.LeadImage.Caption)
	f.Set("image_credit", a.LeadImage.Credit)
	return f
}

// siteZone is the time zone the newsroom's forms speak.
func (ts *testServer) siteZone(t *testing.T) *time.Location {
	t.Helper()
	m, err := ts.db.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return site.FromMap(m).TimeZone
}

// waitForStatus polls the database until the article has st, for the
// scheduler running beside the test.
func (ts *testServer) waitForStatus(t *testing.T, id int64, st article.Status) article.Article {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		a, err := ts.db.Article(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status == st {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("article %d is still %s, want %s", id, a.Status, st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
