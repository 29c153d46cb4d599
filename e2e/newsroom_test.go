package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/config"
	"broadsheet/internal/demo"
	broadsheet "broadsheet/internal/server"
	sitesettings "broadsheet/internal/site"
	"broadsheet/internal/store"
)

// newsroomSite is the whole site run inside the test process, on a clock
// the test moves, so that the scheduler's work can be watched without
// waiting for real time to pass.
type newsroomSite struct {
	base  string
	db    *store.DB
	clock *clock
	tz    *time.Location
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const newsroomPassword = "a long newsroom password"

// startNewsroomSite starts a newsroom on the demo paper; each option
// changes the configuration before the server is built.
func startNewsroomSite(t testing.TB, options ...func(*config.Config)) *newsroomSite {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "broadsheet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{now: time.Now().UTC().Truncate(time.Minute)}
	cfg := &config.Config{Addr: ln.Addr().String(), DataDir: dir, DB: "unused", BaseURL: "http://" + ln.Addr().String(),
		PageCache: true, CacheMB: 16, LogFormat: "json", LogLevel: "error", MediaDir: filepath.Join(dir, "media"),
		Clock: c.Now, SchedulerEvery: 50 * time.Millisecond}
	for _, o := range options {
		o(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, db, cfg.MediaDir, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, r := range []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin} {
		s, err := db.EnsureStaff(ctx, account.Staff{Email: string(r) + "@paper.example", Name: "Test " + string(r), Role: r})
		if err != nil {
			t.Fatal(err)
		}
		hash, err := account.HashPassword(newsroomPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetStaffPassword(ctx, s.ID, hash); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := broadsheet.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv.Handler)
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(hs.Close)
	m, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &newsroomSite{base: cfg.BaseURL, db: db, clock: c, tz: sitesettings.FromMap(m).TimeZone}
}

// signInTab opens a tab of its own (own cookies) and logs in through the
// newsroom's login form.
func (s *newsroomSite) signInTab(t testing.TB, role account.Role) context.Context {
	t.Helper()
	ctx := newTab(t)
	s.open(t, ctx, "/newsroom/login")
	do(t, ctx,
		chromedp.SendKeys(`#login-email`, string(role)+"@paper.example"),
		chromedp.SendKeys(`#login-password`, newsroomPassword),
	)
	s.submit(t, ctx, `.newsroom-login button[type=submit]`)
	if loc := location(t, ctx); loc != "/newsroom/" {
		t.Fatalf("after login as %s: at %s", role, loc)
	}
	return ctx
}

func (s *newsroomSite) open(t testing.TB, ctx context.Context, path string) {
	t.Helper()
	resp := run(t, ctx, chromedp.NavigateResponse(s.base+path))
	if resp.Status != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.Status)
	}
}

// submit clicks a form's button and waits for the page it leads to,
// whatever its status (a refusal is a page too).
func (s *newsroomSite) submit(t testing.TB, ctx context.Context, sel string) int {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(sel))
	if err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	return int(resp.Status)
}

// setValue sets a field's value the way typing would end, firing input.
func setValue(t testing.TB, ctx context.Context, sel, value string) {
	t.Helper()
	eval[bool](t, ctx, `(() => { const e = document.querySelector(`+jsLiteral(sel)+`); e.value = `+jsLiteral(value)+
		`; e.dispatchEvent(new Event("input", {bubbles: true})); return true })()`)
}

func (s *newsroomSite) article(t *testing.T, id int64) article.Article {
	t.Helper()
	a, err := s.db.Article(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// testPhoto is a 1200×800 JPEG with a gradient, as a camera might send.
func testPhoto(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
	for y := 0; y < 800; y++ {
		for x := 0; x < 1200; x++ {
			img.Set(x, y, color.RGBA{uint8(x / 5), uint8(y / 4), 160, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func articleID(t *testing.T, ctx context.Context) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(location(t, ctx), "/newsroom/articles/%d", &id); err != nil {
		t.Fatalf("not on an article's editor: %s", location(t, ctx))
	}
	return id
}

// The newsroom's day in the browser: a reporter writes a draft with a
// live preview and submits it; an editor edits it and schedules it; a
// second editor's stale save is refused with the differences; the
// scheduler publishes it when the clock reaches its time, and it is on
// the site; the history shows a diff, and an old version is restored.
func TestNewsroom_reporterEditorSchedulerInTheBrowser(t *testing.T) {
	s := startNewsroomSite(t)

	// The reporter writes.
	rep := s.signInTab(t, account.Reporter)
	s.open(t, rep, "/newsroom/articles/new")
	do(t, rep, chromedp.SendKeys(`#headline`, "Ferry timetable changes for winter"))
	setValue(t, rep, "#deck", "Two crossings a day are dropped from December")
	setValue(t, rep, "#authors", "Mina Park <mina.park@paper.example>")
	do(t, rep, chromedp.SendKeys(`#body`, "The island ferry will run **four** crossings a day.\n\nTickets stay the same price."))
	waitFor(t, rep, previewJS(`d.querySelector(".article-body strong") && d.querySelector(".article-body strong").textContent === "four"`))
	setValue(t, rep, "#tags", "Transport, Islands")
	do(t, rep, chromedp.SetValue(`#section`, "national/politics"))
	screenshot(t, rep, "newsroom-editor-preview")
	if st := s.submit(t, rep, `button[name=action][value=save]`); st != http.StatusOK {
		t.Fatalf("save the draft: %d", st)
	}
	id := articleID(t, rep)
	if a := s.article(t, id); a.Status != article.Draft || a.Headline != "Ferry timetable changes for winter" {
		t.Fatalf("the draft: %s %q", a.Status, a.Headline)
	}
	s.submit(t, rep, `button[formaction$="/submit"]`)
	if a := s.article(t, id); a.Status != article.Review {
		t.Fatalf("after submitting: %s", a.Status)
	}

	// Two editors open it; the first saves a better headline.
	ed := s.signInTab(t, account.Editor)
	adm := s.signInTab(t, account.Admin)
	s.open(t, ed, "/newsroom/articles?status=review")
	if !strings.Contains(strings.Join(texts(t, ed, ".newsroom-table td a"), "|"), "Ferry timetable changes for winter") {
		t.Fatal("the editor's review list lacks the submitted article")
	}
	s.open(t, ed, fmt.Sprintf("/newsroom/articles/%d", id))
	s.open(t, adm, fmt.Sprintf("/newsroom/articles/%d", id))
	setValue(t, ed, "#headline", "Island ferry cuts two winter crossings")
	s.submit(t, ed, `button[name=action][value=save]`)
	// The reporter's text (autosaved as it was typed, then saved) and the
	// editor's, for the history below.
	reporters, editors := s.article(t, id).Version-2, s.article(t, id).Version

	// The second editor's save, made from the older version, is refused.
	setValue(t, adm, "#headline", "Ferry to run four times a day")
	if st := s.submit(t, adm, `button[name=action][value=save]`); st != http.StatusConflict {
		t.Fatalf("the stale save: %d, want 409", st)
	}
	if msg := texts(t, adm, ".form-error"); len(msg) == 0 || !strings.Contains(msg[0], "someone else saved this article") {
		t.Errorf("the refusal says %q", msg)
	}
	if n := count(t, adm, ".clash del, .clash ins"); n == 0 {
		t.Error("the refusal shows no differences")
	}
	screenshot(t, adm, "newsroom-concurrent-edit")
	if a := s.article(t, id); a.Headline != "Island ferry cuts two winter crossings" {
		t.Fatalf("the first save was overwritten: %q", a.Headline)
	}

	// The editor chooses a lead image, writes its alt text and saves: the
	// image is uploaded with the form.
	photo := filepath.Join(t.TempDir(), "harbour.jpg")
	if err := os.WriteFile(photo, testPhoto(t), 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, ed, chromedp.SetUploadFiles(`#lead-image-file`, []string{photo}))
	setValue(t, ed, "#image_alt", "The island ferry at the pier in morning fog")
	setValue(t, ed, "#image_caption", "The morning ferry")
	s.submit(t, ed, `button[name=action][value=save]`)
	if a := s.article(t, id); !strings.HasPrefix(a.LeadImage.URL, "/media/u/") || a.LeadImage.Srcset == "" {
		t.Fatalf("after the upload: %+v", a.LeadImage)
	}

	// The editor schedules it for an hour from the site's clock.
	at := s.clock.Now().Add(time.Hour).In(s.tz)
	setValue(t, ed, "#publish_at", at.Format("2006-01-02T15:04"))
	s.submit(t, ed, `button[formaction$="/schedule"]`)
	if a := s.article(t, id); a.Status != article.Scheduled {
		t.Fatalf("after scheduling: %s", a.Status)
	}
	screenshot(t, ed, "newsroom-scheduled")
	reader := newTab(t)
	url := s.article(t, id).URL()
	if resp := run(t, reader, chromedp.NavigateResponse(s.base+url)); resp.Status != http.StatusNotFound {
		t.Fatalf("the scheduled article is on the site early: %d", resp.Status)
	}

	// The clock passes the time; the scheduler publishes it.
	s.clock.advance(61 * time.Minute)
	deadline := time.Now().Add(10 * time.Second)
	for s.article(t, id).Status != article.Published {
		if time.Now().After(deadline) {
			t.Fatal("the scheduler did not publish the article")
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.open(t, reader, url)
	if h := texts(t, reader, "h1"); len(h) != 1 || h[0] != "Island ferry cuts two winter crossings" {
		t.Errorf("the published article's headline: %q", h)
	}
	srcset := eval[string](t, reader, `document.querySelector(".lead-image img").getAttribute("srcset") || ""`)
	if !strings.Contains(srcset, "320w") || !strings.Contains(srcset, "/media/u/") {
		t.Errorf("the lead image's srcset: %q", srcset)
	}
	waitFor(t, reader, `document.querySelector(".lead-image img").complete && document.querySelector(".lead-image img").naturalWidth > 0`)
	screenshot(t, reader, "newsroom-published-article")

	// The history: compare the reporter's version with the editor's, then
	// restore the reporter's headline.
	s.open(t, ed, fmt.Sprintf("/newsroom/articles/%d/revisions", id))
	do(t, ed, chromedp.SetValue(`#from`, fmt.Sprint(reporters)), chromedp.SetValue(`#to`, fmt.Sprint(editors)))
	s.submit(t, ed, `.compare-form button`)
	if del := texts(t, ed, ".diff del"); len(del) == 0 {
		t.Error("the diff shows nothing removed")
	}
	if ins := strings.Join(texts(t, ed, ".diff ins"), " "); !strings.Contains(ins, "Island") {
		t.Errorf("the diff's added text: %q", ins)
	}
	screenshot(t, ed, "newsroom-revision-diff")
	s.open(t, ed, fmt.Sprintf("/newsroom/articles/%d/revisions/%d", id, reporters))
	s.submit(t, ed, `form[action$="/restore"] button`)
	if a := s.article(t, id); a.Headline != "Ferry timetable changes for winter" || a.Status != article.Published {
		t.Errorf("after restoring version %d: %s %q", reporters, a.Status, a.Headline)
	}
	reader = newTab(t) // the first one may keep the page for max-age
	s.open(t, reader, url)
	if h := texts(t, reader, "h1"); len(h) != 1 || h[0] != "Ferry timetable changes for winter" {
		t.Errorf("the restored headline on the site: %q", h)
	}
}
