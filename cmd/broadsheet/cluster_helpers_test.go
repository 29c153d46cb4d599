package main

// Helpers of the cluster test: polling instances, the API, a newsroom
// desk, and the database behind them.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

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

func pageShows(s string) check {
	return func(st int, body string) bool { return st == http.StatusOK && strings.Contains(body, s) }
}

func pageLacks(s string) check {
	return func(st int, body string) bool { return st == http.StatusOK && !strings.Contains(body, s) }
}

func pageStatus(want int) check { return func(st int, _ string) bool { return st == want } }

func allOf(x, y check) check {
	return func(st int, body string) bool { return x(st, body) && y(st, body) }
}

// allServe waits until every instance serves every path as ok says, and
// fails if one still does not after 10 s. How long it took is logged
// against the promised bound, not asserted: the test shares its machine
// with the others, and the bound is measured by bench/cluster.sh
// (docs/performance.md, "Several instances behind nginx and Varnish").
func (c *cluster) allServe(what string, paths []string, ok check) {
	c.t.Helper()
	took := c.poll(10*time.Second, what, paths, ok)
	c.t.Logf("%s: served by every instance %s after the change", what, took.Round(time.Millisecond))
	c.worst = max(c.worst, took)
	if took > propagation {
		c.t.Logf("%s: the last instance took %s, over the %s an unloaded machine keeps", what, took, propagation)
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
					st, body := fetchPage(in.URL + p)
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
	_, body := getPage(c.t, c.ins[0].URL+path)
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
func fetchPage(u string) (int, string) {
	res, err := noRedirects.Get(u)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func getPage(t *testing.T, u string) (int, string) {
	t.Helper()
	st, body := fetchPage(u)
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

func execPostgres(t *testing.T, dsn, query string, args ...any) {
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

func queryPostgres(t *testing.T, dsn, query string, args []any, dest ...any) {
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
		WHERE datname = $1 AND application_name = 'broadsheet-listener') t`, databaseName(t, dsn)).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func databaseName(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func waitWithin(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, limit)
		}
	}
}

func waitForLog(t *testing.T, in *instance, msg, who string) {
	t.Helper()
	waitWithin(t, 10*time.Second, who+" logs "+msg, func() bool { return strings.Contains(in.Logs(), msg) })
}
