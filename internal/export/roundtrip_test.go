package export_test

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/config"
	"broadsheet/internal/demo"
	"broadsheet/internal/export"
	"broadsheet/internal/media"
	"broadsheet/internal/reader"
	"broadsheet/internal/section"
	"broadsheet/internal/server"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
	"broadsheet/internal/webhook"
)

// paper is a database with its media folder.
type paper struct {
	db    *store.DB
	media string
}

func engine(t *testing.T, name string) storetest.Engine {
	t.Helper()
	for _, e := range storetest.Engines(t) {
		if e.Name == name {
			return e
		}
	}
	t.Skipf("%s is not configured (set %s)", name, storetest.EnvDSN)
	return storetest.Engine{}
}

func newPaper(t *testing.T, e storetest.Engine) paper {
	t.Helper()
	db, err := store.Open(context.Background(), e.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return paper{db: db, media: t.TempDir()}
}

func (p paper) files() media.Storage { return media.NewLocalDisk(p.media) }

// secrets are what the test puts into a paper that must never leave it.
type secrets struct {
	passwordHash, totpSecret, sessionHash, csrf, apiTokenHash, webhookSecret, ipHash string
}

var planted = secrets{
	passwordHash:  "$argon2id$v=19$m=65536,t=3,p=2$c2VjcmV0c2FsdA$PLANTEDPASSWORDHASHxyz",
	totpSecret:    "PLANTEDTOTPSECRETABCDEFGH",
	sessionHash:   "plantedsessiontokenhash0123456789",
	csrf:          "plantedcsrftoken0123456789",
	apiTokenHash:  "plantedapitokenhash0123456789",
	webhookSecret: "whsec_plantedwebhooksecret0123456789",
	ipHash:        "plantediphash0123456789",
}

// addPeople adds to a paper what the demo lacks: a staff member with a
// password, a reader with a session, comments with a reply, a like and a
// report, an API token and a webhook.
func addPeople(t *testing.T, db *store.DB, now time.Time) {
	t.Helper()
	ctx := context.Background()
	s, err := db.CreateStaff(ctx, account.Staff{Email: "desk@paper.example", Name: "Desk Editor", Role: account.Editor})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetStaffPassword(ctx, s.ID, planted.passwordHash); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStaffTOTP(ctx, s.ID, planted.totpSecret, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateToken(ctx, s.ID, planted.apiTokenHash); err != nil {
		t.Fatal(err)
	}
	r, err := db.SignInReader(ctx, reader.Reader{Provider: "github", Subject: "4242", DisplayName: "Han Ji-woo", CreatedAt: now.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := db.SignInReader(ctx, reader.Reader{Provider: "google", Subject: "77", DisplayName: "Oh Se-ri", CreatedAt: now.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, reader.Session{TokenHash: planted.sessionHash, ReaderID: r.ID, CSRF: planted.csrf,
		CreatedAt: now, ExpiresAt: now.Add(reader.SessionTTL)}); err != nil {
		t.Fatal(err)
	}
	arts, err := db.ListArticles(ctx, articleQuery())
	if err != nil || len(arts) == 0 {
		t.Fatalf("list articles: %v (%d)", err, len(arts))
	}
	a := arts[0]
	top := comment.Comment{ArticleID: a.ID, ReaderID: r.ID, Body: "A clear account of the vote, thank you.", Status: comment.Visible, CreatedAt: now.Add(-30 * time.Minute)}
	if err := db.InsertComment(ctx, &top, planted.ipHash, "fp1", comment.PostQuery{}, func(comment.PostStats) error { return nil }); err != nil {
		t.Fatal(err)
	}
	reply := comment.Comment{ArticleID: a.ID, ParentID: top.ID, ReaderID: r2.ID, Body: "Agreed, the chart helps.", Status: comment.Visible, CreatedAt: now.Add(-20 * time.Minute)}
	if err := db.InsertComment(ctx, &reply, planted.ipHash, "fp2", comment.PostQuery{}, func(comment.PostStats) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.React(ctx, r2.ID, top.ID, 1, comment.ReactQuery{IPHash: planted.ipHash}, func(comment.ReactStats) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Report(ctx, r.ID, reply.ID, 2, "off topic", 10); err != nil {
		t.Fatal(err)
	}
	// The salt of the commenters' IP hashes, which a running site makes.
	if err := db.SetSetting(ctx, "comments_ip_salt", "plantedsalt0123456789"); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateWebhook(ctx, &webhook.Hook{URL: "https://hooks.paper.example/in", Events: []string{"article.published"},
		Secret: planted.webhookSecret, Active: true, CreatedAt: now, CreatedBy: s.ID}); err != nil {
		t.Fatal(err)
	}
}

// site serves a paper the way broadsheet serve does, on a fixed clock.
func site(t *testing.T, p paper, clock time.Time) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: "unused", BaseURL: "http://paper.test",
		CacheMB: 16, LogFormat: "json", LogLevel: "error", MediaDir: p.media,
		Clock: func() time.Time { return clock }, ViewsEvery: 24 * time.Hour}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), p.db)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler)
	t.Cleanup(func() {
		ts.Close()
		cancel()
		srv.Wait()
	})
	return ts
}

func fetch(t *testing.T, base, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

var link = regexp.MustCompile(`(?:href|src)="(/[^"#]*)"|<loc>http://paper\.test(/[^<]*)</loc>`)

// readerPaths crawls the reader site from its home page and sitemaps, and
// adds what no link reaches (search, feeds, comments).
func readerPaths(t *testing.T, base string, comments string) []string {
	t.Helper()
	seen := map[string]bool{}
	queue := []string{"/", "/sitemap.xml", "/robots.txt", "/feed.xml", "/feed.json",
		"/search?q=assembly", "/search?q=budget", "/search?q=seoul&page=2", "/most-read/today", "/most-read/week", comments}
	var out []string
	perKind := map[string]int{}
	for len(queue) > 0 && len(out) < 400 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		if strings.HasPrefix(p, "/newsroom") || strings.HasPrefix(p, "/auth/") || strings.HasPrefix(p, "/api") ||
			strings.HasPrefix(p, "/account") || strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/dictionary") {
			continue
		}
		kind := pageKind(p)
		if perKind[kind] >= 30 {
			continue
		}
		perKind[kind]++
		out = append(out, p)
		if strings.HasPrefix(p, "/media/") {
			continue
		}
		_, body := fetch(t, base, p)
		for _, m := range link.FindAllStringSubmatch(body, -1) {
			q := m[1] + m[2]
			q = strings.ReplaceAll(q, "&amp;", "&")
			if !seen[q] {
				queue = append(queue, q)
			}
		}
	}
	return out
}

func articleQuery() article.ListQuery {
	return article.ListQuery{Status: article.Published, Scope: article.PublicScope(), Limit: 5}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestRoundTrip_demoAcrossEngines exports the demo paper from SQLite,
// loads it into PostgreSQL, exports that and loads it into SQLite again,
// and serves all three: every reader page is the same, byte for byte.
func TestRoundTrip_demoAcrossEngines(t *testing.T) {
	ctx := context.Background()
	lite, pg := engine(t, "sqlite"), engine(t, "postgres")
	loaded := time.Now().UTC().Truncate(time.Millisecond)
	clock := loaded.Add(time.Hour)

	a := newPaper(t, lite)
	if _, err := demo.Load(ctx, a.db, a.media, loaded); err != nil {
		t.Fatal(err)
	}
	addPeople(t, a.db, loaded)

	dirA := filepath.Join(t.TempDir(), "from-sqlite")
	sumA, err := export.Write(ctx, a.db, a.files(), dirA, loaded)
	if err != nil {
		t.Fatal(err)
	}
	if sumA.MediaFiles == 0 || sumA.Missing != 0 {
		t.Fatalf("export: %d media files, %d missing; want some, none missing", sumA.MediaFiles, sumA.Missing)
	}
	assertNoSecrets(t, dirA)

	b := newPaper(t, pg)
	sumB, err := export.Load(ctx, b.db, b.files(), dirA)
	if err != nil {
		t.Fatal(err)
	}
	if sumB.Rows != sumA.Rows || sumB.MediaFiles != sumA.MediaFiles {
		t.Fatalf("loaded %d rows, %d files; want %d, %d", sumB.Rows, sumB.MediaFiles, sumA.Rows, sumA.MediaFiles)
	}
	checkLoaded(t, b.db, sumA)
	dirB := filepath.Join(t.TempDir(), "from-postgres")
	if _, err := export.Write(ctx, b.db, b.files(), dirB, loaded); err != nil {
		t.Fatal(err)
	}
	c := newPaper(t, lite)
	if _, err := export.Load(ctx, c.db, c.files(), dirB); err != nil {
		t.Fatal(err)
	}
	sameTables(t, dirA, dirB)

	samePages(t, a, clock, map[string]paper{"postgres": b, "sqlite again": c})
}

// TestRoundTrip_demoFromPostgres is the other direction: the demo paper
// made on PostgreSQL, exported and loaded into SQLite, serves the same
// pages.
func TestRoundTrip_demoFromPostgres(t *testing.T) {
	ctx := context.Background()
	lite, pg := engine(t, "sqlite"), engine(t, "postgres")
	loaded := time.Now().UTC().Truncate(time.Millisecond)
	a := newPaper(t, pg)
	if _, err := demo.Load(ctx, a.db, a.media, loaded); err != nil {
		t.Fatal(err)
	}
	addPeople(t, a.db, loaded)
	dir := filepath.Join(t.TempDir(), "from-postgres")
	if _, err := export.Write(ctx, a.db, a.files(), dir, loaded); err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, dir)
	b := newPaper(t, lite)
	if _, err := export.Load(ctx, b.db, b.files(), dir); err != nil {
		t.Fatal(err)
	}
	checkLoaded(t, b.db, export.Summary{})
	samePages(t, a, loaded.Add(time.Hour), map[string]paper{"sqlite": b})
}

// samePages serves the original and the others on one fixed clock and
// compares every reader page the original's links reach.
func samePages(t *testing.T, a paper, clock time.Time, others map[string]paper) {
	t.Helper()
	ctx := context.Background()
	sa := site(t, a, clock)
	urls := map[string]string{}
	for name, p := range others {
		urls[name] = site(t, p, clock).URL
	}
	arts, err := a.db.ListArticles(ctx, articleQuery())
	if err != nil {
		t.Fatal(err)
	}
	commentsPath := "/article/" + itoa(arts[0].ID) + "/" + arts[0].Slug + "/comments"
	if _, body := fetch(t, sa.URL, commentsPath); !strings.Contains(body, "A clear account of the vote") || !strings.Contains(body, "Agreed, the chart helps.") {
		t.Fatalf("the comments page of the original does not show the test's comments:\n%.2000s", body)
	}
	paths := readerPaths(t, sa.URL, commentsPath)
	if len(paths) < 60 {
		t.Fatalf("crawled %d pages, want at least 60: %v", len(paths), paths)
	}
	kinds := map[string]int{}
	for _, p := range paths {
		kinds[pageKind(p)]++
		codeA, bodyA := fetch(t, sa.URL, p)
		if codeA != http.StatusOK {
			t.Errorf("GET %s on the original: status %d, want 200", p, codeA)
		}
		for name, url := range urls {
			code, body := fetch(t, url, p)
			if code != codeA {
				t.Errorf("GET %s on %s: status %d, want %d as on the original", p, name, code, codeA)
				continue
			}
			// Compared whole: a reader's page carries nothing of the moment
			// of rendering (no nonce, no form token for anonymous readers,
			// and the sites share one fixed clock), so nothing is masked.
			if body != bodyA {
				t.Errorf("GET %s on %s differs from the original:\n%s", p, name, firstDiff(bodyA, body))
			}
		}
	}
	t.Logf("compared %d pages: %v", len(paths), kinds)
	for _, k := range []string{"article", "section", "tag", "author", "page", "search", "media", "sitemaps"} {
		if kinds[k] == 0 {
			t.Errorf("no %s page was compared", k)
		}
	}
}

// checkLoaded checks what a load changes on purpose: staff have no
// password or second factor, hooks are paused with a new secret, and the
// next row made gets an id after the loaded ones.
func checkLoaded(t *testing.T, db *store.DB, _ export.Summary) {
	t.Helper()
	ctx := context.Background()
	_, cred, err := db.StaffCredentials(ctx, "desk@paper.example")
	if err != nil {
		t.Fatal(err)
	}
	if cred.PasswordHash != "" || cred.TOTPSecret != "" {
		t.Errorf("loaded staff credentials %+v, want no password and no second factor", cred)
	}
	hooks, err := db.Webhooks(ctx)
	if err != nil || len(hooks) != 1 {
		t.Fatalf("webhooks %v, %v; want the one", hooks, err)
	}
	if h, _ := db.Webhook(ctx, hooks[0].ID); h.Active || h.Secret == planted.webhookSecret || !strings.HasPrefix(h.Secret, "whsec_") {
		t.Errorf("loaded webhook active %v with secret %q, want paused with a new secret", h.Active, h.Secret)
	}
	maxID, err := db.MaxArticleID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := section.Section{Slug: "after-import", Path: "after-import", Name: "After"}
	if err := db.CreateSection(ctx, &s); err != nil {
		t.Fatal(err)
	}
	secs, _ := db.Sections(ctx)
	for _, x := range secs {
		if x.ID > s.ID {
			t.Errorf("new section got id %d, below loaded section %d", s.ID, x.ID)
		}
	}
	if err := db.DeleteSection(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if maxID == 0 {
		t.Error("no articles loaded")
	}
}

// sameTables compares two exports' table files, which hold the same rows
// when the round trip lost nothing (the webhooks' pause is the one change
// a load makes).
func sameTables(t *testing.T, dirA, dirB string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dirA, "tables"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "webhooks.jsonl" {
			continue
		}
		x, _ := os.ReadFile(filepath.Join(dirA, "tables", e.Name()))
		y, err := os.ReadFile(filepath.Join(dirB, "tables", e.Name()))
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		if !bytes.Equal(x, y) {
			t.Errorf("tables/%s differs after a round trip through PostgreSQL:\n%s", e.Name(), firstDiff(string(x), string(y)))
		}
	}
}

// assertNoSecrets greps every file of an export for the planted secrets.
func assertNoSecrets(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for name, s := range map[string]string{"password hash": planted.passwordHash, "TOTP secret": planted.totpSecret,
			"session token": planted.sessionHash, "CSRF token": planted.csrf, "API token": planted.apiTokenHash,
			"webhook secret": planted.webhookSecret, "IP hash": planted.ipHash, "password_hash": "password_hash",
			"ip salt": "plantedsalt0123456789"} {
			if bytes.Contains(b, []byte(s)) && !strings.HasSuffix(path, "manifest.json") {
				t.Errorf("%s holds the %s", path, name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pageKind is the first segment of a path: "article", "tag", "search".
func pageKind(p string) string {
	p, _, _ = strings.Cut(strings.TrimPrefix(p, "/"), "?")
	k, _, _ := strings.Cut(p, "/")
	return k
}

func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "original: …" + a[from:min(len(a), i+200)] + "…\n    this: …" + b[from:min(len(b), i+200)] + "…"
}
