package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/article"
)

// propagation is the bound the site promises: a change made through any
// instance is served by every instance within it.
const propagation = time.Second

// TestCluster_threeInstancesServeEveryChangeWithinASecond starts three
// instances at the same moment on an empty PostgreSQL database with the
// demo, warms their page caches, and makes changes through the first
// one's API, the second one's newsroom and the third one's API (settings,
// sections): every instance serves each change within a second. It then ends the listening sessions, makes a
// change in the gap, and checks the instances recover with no stale page,
// /readyz reporting the gap while it lasts; and a scheduled story goes
// out once, on every instance, within a second of its time.
func TestCluster_threeInstancesServeEveryChangeWithinASecond(t *testing.T) {
	bin := buildBinary(t)
	server := postgresServer(t)
	dsn := emptyPostgresDatabase(t)
	dir := t.TempDir()
	// One media folder, as instances behind one address share (the demo's
	// images are written by whichever instance loads it).
	ins := startInstances(t, bin, 3, nil, "--db", dsn, "--demo", "--data", dir,
		"--media", filepath.Join(dir, "media"), "--access-log=false")
	a, b := ins[0], ins[1]
	loads := 0
	for _, in := range ins {
		loads += strings.Count(in.Logs(), `"loaded_now":true`)
	}
	if loads != 1 {
		t.Fatalf("the demo was loaded %d times by three instances started together, want once", loads)
	}

	token := createToken(t, dsn, dir)
	desk := newDesk(t, dsn, b)
	c := &cluster{t: t, ins: ins}

	// Warm every kind of page on every instance, then change a headline
	// behind the site's back: a warm cache keeps serving the old one,
	// which is how the test knows the pages are cached (and that, without
	// the broadcast, an instance would keep serving a changed page).
	demo := c.firstArticleOn("/section/national/social-affairs")
	demoTag := c.api(a, token, "GET", fmt.Sprintf("/api/v1/articles/%d", articleIDOf(t, demo)), nil).Tags
	if len(demoTag) == 0 {
		t.Fatalf("the demo article %s has no tag", demo)
	}
	tagPage := "/tag/" + article.Slugify(demoTag[0])
	warm := []string{"/", "/section/national/social-affairs", demo, tagPage, "/feed.xml"}
	for _, in := range ins {
		for _, p := range warm {
			if st, _ := get(t, in.URL+p); st != http.StatusOK {
				t.Fatalf("%s%s: %d", in.URL, p, st)
			}
		}
	}
	_, before := get(t, a.URL+demo)
	headline := pageTitle(before)
	execSQL(t, dsn, `UPDATE articles SET headline = headline || ' (changed behind the cache)'
		WHERE id = $1`, articleIDOf(t, demo))
	for _, in := range ins {
		for _, p := range warm {
			if _, body := get(t, in.URL+p); strings.Contains(body, "(changed behind the cache)") {
				t.Fatalf("%s%s is not served from the page cache: it shows a change made behind it", in.URL, p)
			}
		}
	}
	if !strings.Contains(before, headline) || headline == "" {
		t.Fatalf("no headline found on %s", demo)
	}

	// Through A's API: publish, edit the headline, unpublish.
	created := c.api(a, token, "POST", "/api/v1/articles", map[string]any{
		"headline": "Harbour ferry returns after storm", "body": "The ferry sailed at dawn.\n\nIt was full.",
		"section": "national/social-affairs", "status": "published", "tags": []string{demoTag[0]},
		"authors": []map[string]string{{"name": "Lee Seo-yeon", "email": "lee.seoyeon@paper.example"}}})
	lists := []string{"/", "/section/national/social-affairs", tagPage, "/feed.xml"}
	c.allServe("the API's new article", append(lists, created.URL), contains("Harbour ferry returns after storm"))

	edited := c.api(a, token, "PATCH", fmt.Sprintf("/api/v1/articles/%d", created.ID), map[string]any{
		"headline": "Harbour ferry back in service after storm", "version": created.Version})
	c.allServe("the API's new headline", append(lists, edited.URL),
		both(contains("Harbour ferry back in service after storm"), lacks("Harbour ferry returns after storm")))

	c.api(a, token, "POST", fmt.Sprintf("/api/v1/articles/%d/unpublish", created.ID), map[string]any{})
	c.allServe("the API's unpublished article is gone", []string{edited.URL}, status(http.StatusNotFound))
	c.allServe("the API's unpublished article is off the lists", lists, lacks("Harbour ferry back in service"))

	// Through B's newsroom: publish again, edit the headline, correct,
	// unpublish.
	cur := c.api(a, token, "GET", fmt.Sprintf("/api/v1/articles/%d", created.ID), nil)
	desk.post(fmt.Sprintf("/newsroom/articles/%d/publish", cur.ID), url.Values{"version": {fmt.Sprint(cur.Version)}})
	c.allServe("the newsroom's publication", append(lists, cur.URL), contains("Harbour ferry back in service after storm"))

	cur = c.api(a, token, "GET", fmt.Sprintf("/api/v1/articles/%d", created.ID), nil)
	f := url.Values{"headline": {"Ferry sails again as harbour reopens"}, "deck": {cur.Deck}, "body": {cur.Body},
		"section": {cur.Section}, "tags": {strings.Join(cur.Tags, ", ")}, "slug": {cur.Slug},
		"version": {fmt.Sprint(cur.Version)}, "action": {"save"}, "comment_mode": {"inherit"}}
	var bylines []string
	for _, au := range cur.Authors {
		bylines = append(bylines, au.Name+" <"+au.Email+">")
	}
	f.Set("authors", strings.Join(bylines, "\n"))
	desk.post(fmt.Sprintf("/newsroom/articles/%d", cur.ID), f)
	c.allServe("the newsroom's new headline", append(lists, cur.URL),
		both(contains("Ferry sails again as harbour reopens"), lacks("Harbour ferry back in service")))

	desk.post(fmt.Sprintf("/newsroom/articles/%d/corrections", cur.ID), url.Values{
		"correction": {"An earlier version gave the wrong day for the first sailing."}})
	c.allServe("the newsroom's correction", []string{cur.URL}, contains("gave the wrong day for the first sailing"))

	cur = c.api(a, token, "GET", fmt.Sprintf("/api/v1/articles/%d", created.ID), nil)
	desk.post(fmt.Sprintf("/newsroom/articles/%d/unpublish", cur.ID), url.Values{"version": {fmt.Sprint(cur.Version)}})
	c.allServe("the newsroom's unpublished article is gone", []string{cur.URL}, status(http.StatusNotFound))
	c.allServe("the newsroom's unpublished article is off the lists", lists, lacks("Ferry sails again"))

	// Through C's API: the site's settings and its sections, which every
	// page shows (through the navigation memo as well as the pages).
	admin := adminToken(t, dsn, dir)
	c.api(ins[2], admin, "PATCH", "/api/v1/settings", map[string]any{"site_name": "The Harbour Courier"})
	c.allServe("the new site name", []string{"/", demo, tagPage}, contains("The Harbour Courier"))
	c.api(ins[2], admin, "POST", "/api/v1/sections", map[string]any{"slug": "harbour", "name": "Harbour Life"})
	c.allServe("the new section in the navigation", []string{"/", demo}, contains(`href="/section/harbour"`))

	// The listening sessions end (a database restart, an operator), and a
	// change is made at once, likely before they are back: nothing stale
	// is served once they reconnect.
	if n := terminateListeners(t, server, dsn); n != 3 {
		t.Fatalf("ended %d listening sessions, want one per instance", n)
	}
	c.api(a, token, "PATCH", fmt.Sprintf("/api/v1/articles/%d", articleIDOf(t, demo)), map[string]any{
		"headline": "Night market reopens by the river"})
	c.allServeWithin(5*time.Second, "a change made as the listeners dropped", []string{"/section/national/social-affairs", demo},
		both(contains("Night market reopens by the river"), lacks(headline)))
	for i, in := range ins {
		waitForLog(t, in, "invalidation listener reconnected; page cache emptied", fmt.Sprintf("instance %d", i+1))
	}

	// A longer gap: the database refuses new sessions, so the listeners
	// stay away. /readyz reports it, then takes the instances out of
	// service; a change made meanwhile shows everywhere once they are back.
	execSQL(t, server, `ALTER DATABASE `+dbName(t, dsn)+` ALLOW_CONNECTIONS false`)
	reopened := false
	reopen := func() {
		if !reopened {
			reopened = true
			execSQL(t, server, `ALTER DATABASE `+dbName(t, dsn)+` ALLOW_CONNECTIONS true`)
		}
	}
	defer reopen()
	if n := terminateListeners(t, server, dsn); n != 3 {
		t.Fatalf("ended %d listening sessions, want 3", n)
	}
	var st int
	var ready string
	waitUntil(t, 5*time.Second, "/readyz reports the gap", func() bool {
		st, ready = get(t, b.URL+"/readyz")
		return strings.Contains(ready, "invalidation: listener disconnected since")
	})
	if st != http.StatusOK {
		t.Errorf("/readyz at the start of the gap: %d\n%s\nwant 200 during the grace", st, ready)
	}
	c.api(a, token, "PATCH", fmt.Sprintf("/api/v1/articles/%d", articleIDOf(t, demo)), map[string]any{
		"headline": "Night market stays open late"})
	waitUntil(t, 15*time.Second, "/readyz takes the instance out of service", func() bool {
		st, ready = get(t, b.URL+"/readyz")
		return st == http.StatusServiceUnavailable
	})
	if !strings.Contains(ready, "invalidation: listener disconnected since") {
		t.Errorf("/readyz out of service says %q; want the gap reported", ready)
	}
	reopen()
	c.allServeWithin(10*time.Second, "the change made in the gap, once the listeners are back", []string{"/section/national/social-affairs", demo},
		both(contains("Night market stays open late"), lacks("Night market reopens")))
	for _, in := range ins {
		waitUntil(t, 10*time.Second, "/readyz ready again", func() bool {
			st, ready := get(t, in.URL+"/readyz")
			return st == http.StatusOK && strings.Contains(ready, "invalidation: listening since")
		})
	}

	// A story scheduled a few seconds ahead goes out within a second of
	// its time on every instance, published by exactly one of them.
	sched := c.api(a, token, "POST", "/api/v1/articles", map[string]any{
		"headline": "Lantern festival opens tonight", "body": "Lanterns line the river.\n\nThousands came.",
		"section": "national/social-affairs", "status": "draft",
		"authors": []map[string]string{{"name": "Lee Seo-yeon", "email": "lee.seoyeon@paper.example"}}})
	due := time.Now().Add(3 * time.Second).Truncate(time.Millisecond)
	c.api(a, token, "POST", fmt.Sprintf("/api/v1/articles/%d/schedule", sched.ID), map[string]any{"publish_at": due})
	c.allServeWithin(time.Until(due)+10*time.Second, "the scheduled story",
		[]string{"/section/national/social-affairs", sched.URL}, contains("Lantern festival opens tonight"))
	slowest := c.slowestSince(due)
	t.Logf("the scheduled story was served by every instance %s after its time", slowest.Round(time.Millisecond))
	if slowest > propagation {
		t.Errorf("the scheduled story reached the last instance %s after its time, want within %s", slowest, propagation)
	}
	// Every instance woke for it; the audit log shows one publication,
	// by the scheduler (its staff name), and the logs one instance's.
	var publications int
	queryRow(t, dsn, `SELECT count(*) FROM audit_log WHERE action = 'article.publish' AND target_id = $1`,
		[]any{sched.ID}, &publications)
	if publications != 1 {
		t.Errorf("the scheduled story was published %d times, want exactly once", publications)
	}
	waitUntil(t, 5*time.Second, "an instance logs the publication", func() bool { return publishedInLogs(ins) > 0 })
	if n := publishedInLogs(ins); n != 1 {
		t.Errorf("the instances logged %d scheduled publications in all, want 1", n)
	}
	t.Logf("slowest propagation of a change to every instance: %s", c.worst)
}

// adminToken creates an admin with the command line and returns their
// API token.
func adminToken(t *testing.T, dsn, dir string) string {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), []string{"broadsheet", "token", "create", "--db", dsn, "--data", dir,
		"--email", "chief@paper.example", "--name", "Chief", "--role", "admin"}, func(string) string { return "" }, &out, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return lines[len(lines)-1]
}

// publishedInLogs counts the scheduled publications the instances logged.
func publishedInLogs(ins []*instance) int {
	n := 0
	for _, in := range ins {
		for _, line := range strings.Split(in.Logs(), "\n") {
			if strings.Contains(line, `"published scheduled articles"`) {
				var rec struct{ Count int }
				_ = json.Unmarshal([]byte(line), &rec)
				n += rec.Count
			}
		}
	}
	return n
}

// cluster polls the instances for what a change should show.
type cluster struct {
	t     *testing.T
	ins   []*instance
	worst time.Duration // the slowest change to reach every instance, of those bound by propagation
	seen  map[string]time.Time
}

// check tells whether a page shows what a change should.
type check func(status int, body string) bool

func contains(s string) check {
	return func(st int, body string) bool { return st == http.StatusOK && strings.Contains(body, s) }
}

func lacks(s string) check {
	return func(st int, body string) bool { return st == http.StatusOK && !strings.Contains(body, s) }
}

func status(want int) check { return func(st int, _ string) bool { return st == want } }

func both(x, y check) check {
	return func(st int, body string) bool { return x(st, body) && y(st, body) }
}

// allServe waits until every instance serves every path as ok says, and
// fails if any took longer than the promised bound after the change
// returned.
func (c *cluster) allServe(what string, paths []string, ok check) {
	c.t.Helper()
	took := c.poll(10*time.Second, what, paths, ok)
	c.t.Logf("%s: served by every instance %s after the change", what, took.Round(time.Millisecond))
	c.worst = max(c.worst, took)
	if took > propagation {
		c.t.Errorf("%s: the last instance took %s, want within %s", what, took, propagation)
	}
}

// allServeWithin waits, up to limit, until every instance serves every
// path as ok says.
func (c *cluster) allServeWithin(limit time.Duration, what string, paths []string, ok check) {
	c.t.Helper()
	c.poll(limit, what, paths, ok)
}

// poll polls each instance and path on its own, and returns how long the
// slowest took to satisfy ok.
func (c *cluster) poll(limit time.Duration, what string, paths []string, ok check) time.Duration {
	c.t.Helper()
	start := time.Now()
	var mu sync.Mutex
	var slowest time.Duration
	var failed []string
	c.seen = map[string]time.Time{}
	var wg sync.WaitGroup
	for _, in := range c.ins {
		for _, p := range paths {
			wg.Go(func() {
				for {
					st, body := fetch(in.URL + p)
					if ok(st, body) {
						mu.Lock()
						slowest = max(slowest, time.Since(start))
						c.seen[in.URL+p] = time.Now()
						mu.Unlock()
						return
					}
					if time.Since(start) > limit {
						mu.Lock()
						failed = append(failed, fmt.Sprintf("%s%s (%d)", in.URL, p, st))
						mu.Unlock()
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
			})
		}
	}
	wg.Wait()
	if len(failed) > 0 {
		c.t.Fatalf("%s: not served within %s by %s", what, limit, strings.Join(failed, ", "))
	}
	return slowest
}

// slowestSince is how long after t the last instance of the latest poll
// served what it waited for.
func (c *cluster) slowestSince(t time.Time) time.Duration {
	var last time.Time
	for _, at := range c.seen {
		if at.After(last) {
			last = at
		}
	}
	return last.Sub(t)
}

var articleLink = regexp.MustCompile(`href="(/article/\d+/[^"/]+)"`)

// firstArticleOn is the first article a page links to.
func (c *cluster) firstArticleOn(path string) string {
	c.t.Helper()
	_, body := get(c.t, c.ins[0].URL+path)
	m := articleLink.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("%s links to no article", path)
	}
	return m[1]
}

// apiArticle is what the API answers about an article.
type apiArticle struct {
	ID       int64
	URL      string
	Slug     string
	Headline string
	Deck     string
	Body     string
	Section  string
	Tags     []string
	Version  int
	Authors  []struct{ Name, Email string }
}

// api calls the JSON API with the bearer token and decodes the article
// it answers; anything but a 2xx fails the test.
func (c *cluster) api(in *instance, token, method, path string, body any) apiArticle {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, in.URL+path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		c.t.Fatalf("%s %s: %d\n%s", method, path, res.StatusCode, raw)
	}
	var a apiArticle
	if err := json.Unmarshal(raw, &a); err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return a
}

// desk is an editor signed in to one instance's newsroom.
type desk struct {
	t      *testing.T
	base   string
	cookie string
	csrf   string
}

var (
	csrfInput   = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
)

// newDesk creates an editor with the command line, as an operator does,
// and signs them in to in's newsroom through the login form.
func newDesk(t *testing.T, dsn string, in *instance) *desk {
	t.Helper()
	ctx := context.Background()
	getenv := func(string) string { return "" }
	const email, password = "desk@paper.example", "a long newsroom password"
	if err := staff(ctx, []string{"create", "--db", dsn, "--email", email, "--name", "Night Desk", "--role", "editor"},
		getenv, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := staff(ctx, []string{"password", "--db", dsn, "--email", email},
		getenv, strings.NewReader(password+"\n"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(in.URL + "/newsroom/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfInput.FindSubmatch(body)
	var loginCookie string
	for _, ck := range res.Cookies() {
		if ck.Name == "bs_login_csrf" {
			loginCookie = ck.Value
		}
	}
	if m == nil || loginCookie == "" {
		t.Fatal("the login page has no CSRF token and cookie")
	}
	d := &desk{t: t, base: in.URL}
	res = d.send("/newsroom/login", url.Values{"email": {email}, "password": {password}, "csrf": {string(m[1])}},
		"bs_login_csrf="+loginCookie)
	for _, ck := range res.Cookies() {
		if ck.Name == "bs_staff" {
			d.cookie = ck.Value
		}
	}
	if res.StatusCode != http.StatusSeeOther || d.cookie == "" {
		t.Fatalf("login: %d, want 303 with a session", res.StatusCode)
	}
	req, _ := http.NewRequest("GET", in.URL+"/newsroom/", nil)
	req.Header.Set("Cookie", "bs_staff="+d.cookie)
	res, err = noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if m = csrfInput.FindSubmatch(body); m == nil {
		t.Fatal("the newsroom's start page has no CSRF token")
	}
	d.csrf = string(m[1])
	return d
}

// post sends a newsroom form; the newsroom answers a change with 303.
func (d *desk) post(path string, values url.Values) {
	d.t.Helper()
	values.Set("csrf", d.csrf)
	if res := d.send(path, values, "bs_staff="+d.cookie); res.StatusCode != http.StatusSeeOther {
		d.t.Fatalf("POST %s: %d, want 303", path, res.StatusCode)
	}
}

func (d *desk) send(path string, values url.Values, cookie string) *http.Response {
	d.t.Helper()
	req, _ := http.NewRequest("POST", d.base+path, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", cookie)
	res, err := noRedirects.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// fetch gets a page without following redirects.
func fetch(u string) (int, string) {
	res, err := noRedirects.Get(u)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	st, body := fetch(u)
	if st == 0 {
		t.Fatalf("GET %s: %s", u, body)
	}
	return st, body
}

var titleTag = regexp.MustCompile(`<h1[^>]*>([^<]+)</h1>`)

// pageTitle is an article page's headline.
func pageTitle(body string) string {
	m := titleTag.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

var articleID = regexp.MustCompile(`^/article/(\d+)/`)

func articleIDOf(t *testing.T, path string) int64 {
	t.Helper()
	m := articleID.FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("%s is not an article's address", path)
	}
	var id int64
	_, _ = fmt.Sscan(m[1], &id)
	return id
}

func execSQL(t *testing.T, dsn, query string, args ...any) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func queryRow(t *testing.T, dsn, query string, args []any, dest ...any) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(query, args...).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// terminateListeners ends the instances' listening sessions on the
// database of dsn, from the server's own database, and says how many.
func terminateListeners(t *testing.T, server, dsn string) int {
	t.Helper()
	db, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	err = db.QueryRow(`SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND application_name = 'broadsheet-listener') t`, dbName(t, dsn)).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func dbName(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func waitUntil(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, limit)
		}
	}
}

func waitForLog(t *testing.T, in *instance, msg, who string) {
	t.Helper()
	waitUntil(t, 10*time.Second, who+" logs "+msg, func() bool { return strings.Contains(in.Logs(), msg) })
}
