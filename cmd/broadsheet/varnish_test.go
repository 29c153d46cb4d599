package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"broadsheet/internal/comment"
	"broadsheet/internal/reader"
	"broadsheet/internal/store"
)

// The deployment's VCL, the one file these tests run Varnish with.
const deployVCL = "../../deploy/varnish/default.vcl"

// varnishSite is a broadsheet serve process behind a real varnishd
// running deploy/varnish/default.vcl, purged through --purge-url.
type varnishSite struct {
	*varnish
	t     *testing.T
	site  *instance
	data  string
	token string // an editor's
	admin string // an admin's
}

func startVarnishSite(t *testing.T) *varnishSite {
	t.Helper()
	varnishd := needVarnish(t)
	bin := buildBinary(t)
	s := &varnishSite{t: t, data: filepath.Join(t.TempDir(), "data")}
	out, err := exec.Command(bin, "token", "create", "--data", s.data, "--email", "ed@paper.example", "--name", "Ed", "--role", "editor").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	s.token = lines[len(lines)-1]
	out, err = exec.Command(bin, "token", "create", "--data", s.data, "--email", "ada@paper.example", "--name", "Ada", "--role", "admin").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(string(out)), "\n")
	s.admin = lines[len(lines)-1]
	port := strconv.Itoa(freePort(t))
	s.site = startInstance(t, bin, []string{"BROADSHEET_DATA=" + s.data}, "--demo", "--access-log=false",
		"--purge-url", "http://127.0.0.1:"+port+"/", "--trusted-proxies", "127.0.0.1")
	s.varnish = startVarnish(t, varnishd, port, s.site.URL)
	return s
}

// varnish is a varnishd process running the deployment's VCL.
type varnish struct {
	cmd   *exec.Cmd
	done  chan struct{}
	front string // its origin
	logs  *lockedBuffer
}

// startVarnish runs varnishd on 127.0.0.1:port with deploy/varnish/default.vcl,
// its backend pointed at the origin backend, and returns once it answers.
func startVarnish(t *testing.T, varnishd, port, backend string) *varnish {
	t.Helper()
	// varnishd drops to an unprivileged user to read and compile the VCL,
	// so its folder must be readable by others (t.TempDir's parent is not).
	dir, err := os.MkdirTemp("", "broadsheet-varnish-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	vcl, err := os.ReadFile(deployVCL)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(backend)
	lines := ".host = \"127.0.0.1\";\n    .port = \"8080\";"
	if !bytes.Contains(vcl, []byte(lines)) {
		t.Fatalf("%s no longer has the backend lines this test points at its backend:\n%s", deployVCL, lines)
	}
	vcl = bytes.Replace(vcl, []byte(lines), []byte(fmt.Sprintf(".host = %q;\n    .port = %q;", u.Hostname(), u.Port())), 1)
	vclFile := filepath.Join(dir, "test.vcl")
	if err := os.WriteFile(vclFile, vcl, 0o644); err != nil {
		t.Fatal(err)
	}
	v := &varnish{front: "http://127.0.0.1:" + port, logs: &lockedBuffer{}, done: make(chan struct{})}
	v.cmd = exec.Command(varnishd, "-F", "-n", filepath.Join(dir, "varnish"), "-a", "127.0.0.1:"+port,
		"-f", vclFile, "-p", "vcc_allow_inline_c=off", "-s", "malloc,64m")
	v.cmd.Stdout, v.cmd.Stderr = v.logs, v.logs
	if err := v.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = v.cmd.Wait(); close(v.done) }()
	t.Cleanup(v.stop)
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(v.front + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return v
			}
		}
		select {
		case <-v.done:
			t.Fatalf("varnishd stopped:\n%s", v.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("varnishd did not answer within 60 s:\n%s", v.logs.String())
		}
	}
}

// stop ends varnishd as a service manager does and waits for it.
func (v *varnish) stop() {
	_ = v.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-v.done:
	case <-time.After(20 * time.Second):
		_ = v.cmd.Process.Kill()
		<-v.done
	}
}

// needVarnish returns the path of varnishd, or skips the test outside CI
// when it or its xkey module is missing (in CI it fails).
func needVarnish(t *testing.T) string {
	t.Helper()
	varnishd, err := exec.LookPath("varnishd")
	if err != nil {
		varnishd = "/usr/sbin/varnishd" // not on a normal user's PATH
	}
	_, err = os.Stat(varnishd)
	xkey, _ := filepath.Glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so")
	if err == nil && len(xkey) > 0 {
		return varnishd
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("varnishd or its xkey module is missing: in CI the Varnish tests must run (apt-get install varnish varnish-modules)")
	}
	t.Skip("needs varnishd and its xkey module (Debian: varnish varnish-modules)")
	return ""
}

// get fetches base+path with the given header pairs.
func (s *varnishSite) get(base, path string, header ...string) (*http.Response, string) {
	s.t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultTransport.RoundTrip(req) // no redirects followed, no gzip asked
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return res, string(b)
}

// api sends a JSON request to the site itself (not through Varnish), as
// the editor, and returns the status and the decoded answer.
func (s *varnishSite) api(method, path string, body any) (int, map[string]any) {
	s.t.Helper()
	return s.apiAs(s.token, method, path, body)
}

func (s *varnishSite) apiAs(token, method, path string, body any) (int, map[string]any) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.site.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

// publishArticle creates a published article and returns its id and path.
func (s *varnishSite) publishArticle(headline string) (int64, string) {
	s.t.Helper()
	status, m := s.api("POST", "/api/v1/articles", map[string]any{"headline": headline, "body": "It happened.\n\nThen more happened.",
		"section": "national/social-affairs", "status": "published",
		"authors": []map[string]string{{"name": "Lee Seo-yeon", "email": "lee.seoyeon@paper.example"}}})
	if status != http.StatusCreated {
		s.t.Fatalf("publish %q: %d %v", headline, status, m)
	}
	id, _ := m["id"].(float64)
	u, err := url.Parse(fmt.Sprint(m["url"]))
	if err != nil || id == 0 {
		s.t.Fatalf("publish %q: answer without id or url: %v", headline, m)
	}
	return int64(id), u.Path
}

// publishSettled publishes an article and waits until the site has sent
// the purge of that change, and sent it again (purge.Options.Again), so
// that pages stored after it stay stored.
func (s *varnishSite) publishSettled(headline string) (int64, string) {
	s.t.Helper()
	before := s.purgesSent()
	id, path := s.publishArticle(headline)
	waitFor(s.t, func() bool { return s.purgesSent() >= before+2 })
	return id, path
}

// purgesSent is the number of purge requests the site reports on /readyz
// as gone through, with none waiting; -1 while some are waiting or failed.
func (s *varnishSite) purgesSent() int {
	s.t.Helper()
	_, body := s.get(s.site.URL, "/readyz")
	i := strings.Index(body, "purge: ok (")
	if i < 0 {
		return -1
	}
	var sent, pending int
	if _, err := fmt.Sscanf(body[i:], "purge: ok (%d sent, %d pending)", &sent, &pending); err != nil || pending > 0 {
		return -1
	}
	return sent
}

// within polls cond through Varnish for up to limit and returns how long
// it took; it fails the test when cond never holds.
func within(t *testing.T, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		if cond() {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("%s: not seen through Varnish within %s", what, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestVarnish_changesThroughTheAPIShowWithinASecond warms Varnish with a
// section page and an article, then publishes, edits a headline and
// unpublishes through the API: each change is seen through Varnish within
// a second (by purge, long before the pages' minute of max-age), and the
// unpublished article is gone for good, never served from grace.
func TestVarnish_changesThroughTheAPIShowWithinASecond(t *testing.T) {
	s := startVarnishSite(t)
	const section = "/section/national/social-affairs"
	id, path := s.publishSettled("Harbour bridge reopens")
	for range 2 {
		s.get(s.front, section)
		s.get(s.front, path)
	}
	if res, _ := s.get(s.front, path); res.Header.Get("X-Cache") != "HIT" {
		t.Fatalf("the article page is not stored by Varnish: X-Cache %q", res.Header.Get("X-Cache"))
	}
	res, _ := s.get(s.front, path)
	if res.Header.Get("Surrogate-Key") != "" || res.Header.Get("Xkey") != "" {
		t.Errorf("readers see the surrogate keys: %q %q", res.Header.Get("Surrogate-Key"), res.Header.Get("Xkey"))
	}
	if res, _ := s.get(s.site.URL, path); !strings.Contains(res.Header.Get("Surrogate-Key"), fmt.Sprintf("a%d", id)) {
		t.Fatalf("the site sends Surrogate-Key %q, without the article's key", res.Header.Get("Surrogate-Key"))
	}

	// Accept-Language is reduced only where the language cannot differ:
	// a Korean-only list shares the copy stored for "ko".
	s.get(s.front, path, "Accept-Language", "ko")
	if res, page := s.get(s.front, path, "Accept-Language", "ko-KR, ko;q=0.9"); res.Header.Get("X-Cache") != "HIT" || !strings.Contains(page, `<html lang="ko">`) {
		t.Errorf("ko-KR, ko;q=0.9: X-Cache %q, want the Korean copy stored for ko", res.Header.Get("X-Cache"))
	}
	if _, page := s.get(s.front, path, "Accept-Language", "fr, ko;q=0.8"); !strings.Contains(page, `<html lang="ko">`) {
		t.Error("fr, ko;q=0.8: not the Korean page Broadsheet picks for it")
	}

	// Only the addresses in the VCL's ACL may purge: a PURGE from another
	// (127.0.0.2, outside it) is refused and drops nothing.
	if res := s.purgeFrom("127.0.0.2", "all"); res.StatusCode != http.StatusForbidden {
		t.Errorf("PURGE from outside the ACL: %d, want 403", res.StatusCode)
	}
	if res, _ := s.get(s.front, path); res.Header.Get("X-Cache") != "HIT" {
		t.Errorf("after a refused PURGE the article is no longer stored: X-Cache %q", res.Header.Get("X-Cache"))
	}

	_, _ = s.publishArticle("Night market returns to the old port")
	took := within(t, time.Second, "a new article on its section's page", func() bool {
		_, page := s.get(s.front, section)
		return strings.Contains(page, "Night market returns to the old port")
	})
	t.Logf("publish seen through Varnish after %s", took)

	if status, m := s.api("PATCH", fmt.Sprintf("/api/v1/articles/%d", id), map[string]any{"headline": "Harbour bridge reopens to cyclists"}); status != http.StatusOK {
		t.Fatalf("edit headline: %d %v", status, m)
	}
	took = within(t, time.Second, "an edited headline", func() bool {
		_, page := s.get(s.front, path)
		return strings.Contains(page, "Harbour bridge reopens to cyclists")
	})
	t.Logf("headline edit seen through Varnish after %s", took)

	s.get(s.front, path) // stored again, so that the takedown must purge it
	if status, m := s.api("POST", fmt.Sprintf("/api/v1/articles/%d/unpublish", id), nil); status != http.StatusOK {
		t.Fatalf("unpublish: %d %v", status, m)
	}
	took = within(t, time.Second, "the unpublished article answering 404", func() bool {
		res, _ := s.get(s.front, path)
		return res.StatusCode == http.StatusNotFound
	})
	t.Logf("takedown seen through Varnish after %s", took)
	// Gone at once and for good: no stale copy from grace, whatever the
	// language or encoding asked for, and not on its section's page.
	for _, h := range [][]string{nil, {"Accept-Encoding", "gzip"}, {"Accept-Language", "ko-KR,ko;q=0.9"}, {"Accept-Language", "en-GB,ko;q=0.5"}} {
		for range 3 {
			if res, _ := s.get(s.front, path, h...); res.StatusCode != http.StatusNotFound {
				t.Errorf("unpublished article with %q: %d (X-Cache %s), want 404", h, res.StatusCode, res.Header.Get("X-Cache"))
			}
		}
	}
	within(t, time.Second, "the section page without the unpublished article", func() bool {
		_, page := s.get(s.front, section)
		return !strings.Contains(page, "Harbour bridge reopens")
	})
}

// purgeFrom sends a purge of keys to Varnish from the local address ip.
func (s *varnishSite) purgeFrom(ip, keys string) *http.Response {
	s.t.Helper()
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
	req, _ := http.NewRequest("PURGE", s.front+"/", nil)
	req.Header.Set("Xkey-Purge", keys)
	res, err := client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// TestVarnish_settingsChangePurgesEveryPage renames the site: every
// stored page shows the name, so the change purges everything ("*" sent
// as the key every stored object carries), and each page shows the new
// name through Varnish within a second.
func TestVarnish_settingsChangePurgesEveryPage(t *testing.T) {
	s := startVarnishSite(t)
	_, article := s.publishSettled("Ferry timetable changes")
	pages := []string{"/", article, "/section/national/social-affairs", "/feed.xml"}
	for _, p := range pages {
		s.get(s.front, p)
		if res, _ := s.get(s.front, p); res.Header.Get("X-Cache") != "HIT" {
			t.Fatalf("%s is not stored: X-Cache %q", p, res.Header.Get("X-Cache"))
		}
	}
	if status, m := s.apiAs(s.admin, "PATCH", "/api/v1/settings", map[string]any{"site_name": "The Harbour Gazette"}); status != http.StatusOK {
		t.Fatalf("rename the site: %d %v", status, m)
	}
	for _, p := range pages {
		took := within(t, time.Second, p+" with the new site name", func() bool {
			_, page := s.get(s.front, p)
			return strings.Contains(page, "The Harbour Gazette")
		})
		t.Logf("%s renamed through Varnish after %s", p, took)
	}
}

// signIn creates a reader who has accepted the comment policy and a
// session for them, in the site's database, as a social login does; it
// returns the session cookie.
func (s *varnishSite) signIn(name string) string {
	s.t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(s.data, "broadsheet.db"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer db.Close()
	rd, err := db.SignInReader(ctx, reader.Reader{Provider: "oidc", Subject: "sub-" + name, DisplayName: name})
	if err != nil {
		s.t.Fatal(err)
	}
	pg, err := db.PageBySlug(ctx, comment.PolicySlug)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := db.AcceptPolicy(ctx, rd.ID, comment.ParsePolicy(pg.Body).Version); err != nil {
		s.t.Fatal(err)
	}
	cookie, session := reader.NewSession(time.Now())
	session.ReaderID = rd.ID
	if err := db.CreateSession(ctx, session); err != nil {
		s.t.Fatal(err)
	}
	return reader.CookieName + "=" + cookie
}

// TestVarnish_personalResponsesAreNeverShared signs a reader in and has
// them read the comments, their account and the article through Varnish,
// between an anonymous reader and a second signed-in one: nothing of the
// first reader reaches the others, while the article itself is one
// stored copy for all. Newsroom and API answers are never stored.
func TestVarnish_personalResponsesAreNeverShared(t *testing.T) {
	s := startVarnishSite(t)
	_, path := s.publishSettled("Rain expected over the weekend")
	minji := s.signIn("Minji Private")
	other := s.signIn("Joon Other")

	personal := []string{path + "/comments?partial=1", path + "/comments", "/account"}
	for _, p := range personal {
		for round := range 3 {
			res, page := s.get(s.front, p, "Cookie", minji)
			if res.StatusCode != http.StatusOK || !strings.Contains(page, "Minji Private") {
				t.Fatalf("%s as the signed-in reader: %d, without her name", p, res.StatusCode)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
				t.Errorf("%s: Cache-Control %q, want private, no-store", p, cc)
			}
			for who, hdr := range map[string][]string{"anonymous": nil, "another reader": {"Cookie", other}} {
				res, page := s.get(s.front, p, hdr...)
				if strings.Contains(page, "Minji Private") {
					t.Errorf("round %d: %s got the signed-in reader's %s (X-Cache %s)", round, who, p, res.Header.Get("X-Cache"))
				}
				if who == "another reader" && p != "/account" && !strings.Contains(page, "Joon Other") {
					t.Errorf("round %d: the other reader's %s does not show his own name", round, p)
				}
			}
		}
	}

	// The article page is the same for everyone (the comments are loaded
	// apart): the signed-in reader shares the stored copy, which carries
	// nothing of her.
	s.get(s.front, path, "Cookie", minji)
	res, page := s.get(s.front, path, "Cookie", minji)
	if res.Header.Get("X-Cache") != "HIT" {
		t.Errorf("the article for a signed-in reader: X-Cache %q, want the shared stored copy", res.Header.Get("X-Cache"))
	}
	if strings.Contains(page, "Minji Private") {
		t.Error("the stored article page names the signed-in reader")
	}
	if _, anon := s.get(s.front, path); anon != page {
		t.Error("the anonymous reader and the signed-in one got different article pages")
	}

	// Newsroom and API: passed every time, never a stored copy.
	for _, p := range []string{"/newsroom/login", "/api/v1/articles", "/api/v1/search?q=rain", "/api/v1/openapi.json"} {
		for range 3 {
			res, _ := s.get(s.front, p, "Authorization", "Bearer "+s.token)
			if xc := res.Header.Get("X-Cache"); xc != "PASS" {
				t.Errorf("%s: X-Cache %q, want PASS", p, xc)
			}
			res, _ = s.get(s.front, p)
			if xc, age := res.Header.Get("X-Cache"), res.Header.Get("Age"); (xc != "PASS" && xc != "MISS") || (age != "0" && age != "") {
				t.Errorf("%s anonymous: X-Cache %q Age %q, want a fresh answer", p, xc, res.Header.Get("Age"))
			}
		}
	}
	if res, _ := s.get(s.site.URL, "/api/v1/articles", "Authorization", "Bearer "+s.token); res.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("API answer: Cache-Control %q, want private, no-store", res.Header.Get("Cache-Control"))
	}
	if res, _ := s.get(s.site.URL, "/newsroom/login"); res.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("newsroom page: Cache-Control %q, want private, no-store", res.Header.Get("Cache-Control"))
	}
}

// TestVarnish_purgeFailureIsReportedAndTheChangeGoesThrough stops Varnish,
// makes a change, and finds it made, served by the site, and the failed
// purge reported on /readyz with the instance still ready.
func TestVarnish_purgeFailureIsReportedAndTheChangeGoesThrough(t *testing.T) {
	s := startVarnishSite(t)
	s.publishSettled("Before the cache went away")
	s.varnish.stop()

	_, path := s.publishArticle("After the cache went away")
	if res, page := s.get(s.site.URL, path); res.StatusCode != http.StatusOK || !strings.Contains(page, "After the cache went away") {
		t.Fatalf("the change made while the cache is down: %d", res.StatusCode)
	}
	var body string
	waitFor(t, func() bool {
		var res *http.Response
		res, body = s.get(s.site.URL, "/readyz")
		return res.StatusCode == http.StatusOK && strings.Contains(body, "purge: last failure at")
	})
	if !strings.HasPrefix(body, "ready\n") || !strings.Contains(body, "pending") {
		t.Errorf("/readyz while the cache is down:\n%s", body)
	}
	waitFor(t, func() bool { return strings.Contains(s.site.Logs(), "purging the HTTP cache failed") })
	t.Logf("/readyz: %s", strings.TrimSpace(body))
}

// TestVarnish_staleCopiesOnlyWithinTheirWindows runs the VCL before a
// small backend that answers as Broadsheet does, with windows of seconds:
// an expired page is served stale only within stale-while-revalidate
// while the backend is healthy (then fetched before answering), and for
// up to stale-if-error while the backend fails its /readyz probe.
func TestVarnish_staleCopiesOnlyWithinTheirWindows(t *testing.T) {
	varnishd := needVarnish(t)
	var version, down atomic.Int64
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() == 1 {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		if r.URL.Path == "/readyz" {
			_, _ = io.WriteString(w, "ready\n")
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=1, stale-while-revalidate=2, stale-if-error=86400")
		w.Header().Set("Surrogate-Key", "p-about nav")
		_, _ = fmt.Fprintf(w, "version %d", version.Add(1))
	}))
	t.Cleanup(backend.Close)
	v := startVarnish(t, varnishd, strconv.Itoa(freePort(t)), backend.URL)
	read := func() string {
		res, err := http.Get(v.front + "/page/about")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return fmt.Sprintf("%d %s", res.StatusCode, b)
	}

	if got := read(); got != "200 version 1" {
		t.Fatalf("first read: %q", got)
	}
	time.Sleep(1500 * time.Millisecond) // expired, within stale-while-revalidate
	if got := read(); got != "200 version 1" {
		t.Errorf("within stale-while-revalidate: %q, want the stale copy served at once", got)
	}
	waitFor(t, func() bool { return read() == "200 version 2" }) // refreshed behind
	time.Sleep(3500 * time.Millisecond)                          // past max-age and stale-while-revalidate
	if got := read(); got != "200 version 3" {
		t.Errorf("past stale-while-revalidate with a healthy backend: %q, want a fresh fetch", got)
	}

	down.Store(1)
	// Sick once two of the last three probes (every 2 s) failed.
	time.Sleep(8 * time.Second)
	for range 3 {
		if got := read(); got != "200 version 3" {
			t.Errorf("backend down, page long expired: %q, want the stale copy (stale-if-error)", got)
		}
	}
}
