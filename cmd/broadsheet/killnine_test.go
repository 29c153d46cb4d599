package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"broadsheet/internal/audit"
	"broadsheet/internal/store"
)

// scheduleSlack is how long after its due time a scheduled article may
// be published: the scheduler sleeps until the next due story, so one
// second covers waking, publishing and a survivor taking over.
const scheduleSlack = 1 * time.Second

// TestKillNine_behindNginx runs three instances on one PostgreSQL
// database behind a real nginx with deploy/nginx/broadsheet.conf, loads
// them with readers, and kills one with SIGKILL at the moment an article
// is due to be published. nginx passes every GET the dead instance
// dropped or refused to another one, so readers get no error beyond a
// response already under way from the dead instance; the article is
// published once, by one of the two survivors, and on time.
func TestKillNine_behindNginx(t *testing.T) {
	nginxBin := findNginx(t)
	dsn := emptyPostgresDatabase(t) // before the build: a test that skips for want of PostgreSQL skips at once
	bin := buildBinary(t)
	data := t.TempDir()

	// The token is made first (which migrates the database); starting
	// on an empty database at once is TestCluster_threeInstancesServeEveryChange's subject.
	token := createToken(t, dsn, data)
	args := []string{"--db", dsn, "--data", data, "--access-log=false", "--trusted-proxies", "127.0.0.1"}
	instances := startInstances(t, bin, 3, nil, args...)
	var upstreams []string
	for _, in := range instances {
		upstreams = append(upstreams, strings.TrimPrefix(in.URL, "http://"))
	}
	front := startNginx(t, nginxBin, upstreams)

	var section struct{ Path string }
	apiCall(t, front, token, "POST", "/api/v1/sections", map[string]any{"slug": "harbour", "name": "Harbour"}, http.StatusCreated, &section)
	pages := []string{"/", "/section/harbour"}
	for i := range 4 {
		var a struct{ URL string }
		apiCall(t, front, token, "POST", "/api/v1/articles", articleBody(fmt.Sprintf("Harbour report %d", i), "published"), http.StatusCreated, &a)
		pages = append(pages, a.URL)
	}

	// The article due at the moment of the kill: a draft, then scheduled.
	due := time.Now().Add(6 * time.Second).Truncate(time.Millisecond)
	id := scheduleThroughAPI(t, front, token, "Tide tables for the new harbour", due)

	// Readers through nginx until told to stop. A failure is a 5xx or a
	// request nginx did not answer; a body cut short after a 200 began is
	// a response the dead instance had under way, which nginx cannot
	// take back, and is counted apart.
	var (
		stop                   atomic.Bool
		inFlight, ok, cutShort atomic.Int64
		failuresMu             sync.Mutex
		failures               []string
		wg                     sync.WaitGroup
	)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	defer client.CloseIdleConnections()
	for r := range 4 {
		wg.Go(func() {
			for i := r; !stop.Load(); i++ {
				page := pages[i%len(pages)]
				inFlight.Add(1)
				status, err := get(client, front+page)
				inFlight.Add(-1)
				switch {
				case err == nil && status == http.StatusOK:
					ok.Add(1)
				case errors.Is(err, errCutShort):
					cutShort.Add(1)
				default:
					failuresMu.Lock()
					failures = append(failures, fmt.Sprintf("%s %s: %d %v", time.Now().Format("15:04:05.000"), page, status, err))
					failuresMu.Unlock()
				}
			}
		})
	}

	time.Sleep(time.Until(due))
	underWay := inFlight.Load() // every reader's request in flight, an upper bound on the dead instance's
	instances[0].Kill()
	killed := time.Now()
	t.Logf("killed instance 1 (%s) %s after the due time, %d reader requests in flight", upstreams[0], killed.Sub(due), underWay)

	// Readers keep going while the article is published and for a few
	// seconds more, as nginx learns the instance is gone.
	published := waitPublished(t, front, token, id, due.Add(scheduleSlack+30*time.Second))
	time.Sleep(time.Until(killed.Add(3 * time.Second)))
	stop.Store(true)
	wg.Wait()

	t.Logf("readers: %d pages served, %d cut short, %d failed; article %d seen published %s after due",
		ok.Load(), cutShort.Load(), len(failures), id, published.Sub(due))
	if ok.Load() < 100 {
		t.Errorf("only %d pages served: the readers did not load the site", ok.Load())
	}
	if len(failures) > 0 {
		t.Errorf("%d GETs failed through nginx although two instances were up (it should have tried another):\n%s",
			len(failures), strings.Join(failures[:min(len(failures), 20)], "\n"))
	}
	if cutShort.Load() > underWay {
		t.Errorf("%d responses cut short, more than the %d requests in flight when the instance died", cutShort.Load(), underWay)
	}

	checkPublishedOnce(t, dsn, id, due)
}

// TestNginx_retriesGETsButNeverPOSTs puts deploy/nginx/broadsheet.conf in
// front of two upstreams: one that reads each request and then drops the
// connection unanswered, as an instance killed mid-request does, and one
// that answers. A GET the first one dropped reaches the second and the
// reader gets its page; a POST it dropped is not sent again (it may have
// been stored before the instance died) and the client gets a 502.
func TestNginx_retriesGETsButNeverPOSTs(t *testing.T) {
	nginxBin := findNginx(t)
	for _, method := range []string{"GET", "POST"} {
		t.Run(method, func(t *testing.T) {
			dying := startDropper(t)
			var mu sync.Mutex
			answered := map[string]bool{} // "METHOD id" the answering upstream saw
			alive := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				mu.Lock()
				answered[r.Method+" "+r.Header.Get("X-Test-Id")] = true
				mu.Unlock()
				_, _ = io.WriteString(w, "ok\n")
			}))
			defer alive.Close()
			// The dying upstream comes first; nginx's round robin reaches it
			// within two requests (waiting for /readyz may have used one).
			front := startNginx(t, nginxBin, []string{dying.addr, strings.TrimPrefix(alive.URL, "http://")})
			var id string
			var status int
			for i := range 3 {
				id = fmt.Sprint(i)
				req, err := http.NewRequest(method, front+"/api/v1/articles", strings.NewReader(`{"headline":"Once only"}`))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("X-Test-Id", id)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatalf("%s through nginx: %v", method, err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				status = res.StatusCode
				if dying.saw(method + " " + id) {
					break
				}
			}
			if !dying.saw(method + " " + id) {
				t.Fatalf("nginx sent none of 3 %s requests to the first upstream", method)
			}
			mu.Lock()
			again := answered[method+" "+id]
			mu.Unlock()
			switch method {
			case "GET":
				if status != http.StatusOK || !again {
					t.Errorf("a GET dropped by one upstream: %d, sent to the other: %v; want 200, sent", status, again)
				}
			case "POST":
				if status != http.StatusBadGateway || again {
					t.Errorf("a POST dropped by one upstream: %d, sent to the other: %v; want 502, never sent again", status, again)
				}
			}
		})
	}
}

// dropper is an upstream that reads each request whole and closes the
// connection with a reset instead of answering.
type dropper struct {
	addr string
	mu   sync.Mutex
	seen map[string]bool // "METHOD X-Test-Id"
}

func startDropper(t *testing.T) *dropper {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	d := &dropper{addr: ln.Addr().String(), seen: map[string]bool{}}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go d.drop(c)
		}
	}()
	return d
}

func (d *dropper) drop(c net.Conn) {
	defer c.Close()
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, req.Body)
	d.mu.Lock()
	d.seen[req.Method+" "+req.Header.Get("X-Test-Id")] = true
	d.mu.Unlock()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close with a reset, as the kernel does for a killed process
	}
}

func (d *dropper) saw(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.seen[key]
}

// checkPublishedOnce reads the audit log: the scheduler writes one
// article.publish entry in the transaction that publishes, and an
// instance that lost the race to another writes none (its version
// check fails). Two entries would mean the article was published twice.
func checkPublishedOnce(t *testing.T, dsn string, id int64, due time.Time) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := audit.New(db, nil, nil).Entries(ctx, audit.Query{TargetType: "article", TargetID: id, Action: "article.publish", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("article %d has %d article.publish entries, want exactly 1: %+v", id, len(entries), entries)
	}
	e := entries[0]
	if e.StaffID != 0 {
		t.Errorf("article %d was published by staff %d, want the scheduler", id, e.StaffID)
	}
	// Stored in milliseconds: a publication in the same millisecond as
	// the due time is on time, not early.
	if late := e.CreatedAt.Sub(due); late < 0 || late > scheduleSlack {
		t.Errorf("article %d, due at %s, was published at %s (%s late); want within %s of due",
			id, due.Format(time.RFC3339Nano), e.CreatedAt.Format(time.RFC3339Nano), late, scheduleSlack)
	}
}

var errCutShort = errors.New("response cut short")

// get fetches url and reads the whole body; a body that breaks off after
// the status line arrived is errCutShort.
func get(c *http.Client, url string) (int, error) {
	res, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return res.StatusCode, fmt.Errorf("%w: %v", errCutShort, err)
	}
	return res.StatusCode, nil
}

// scheduleThroughAPI creates a draft and schedules it for at, as an
// editor does through the API; it returns the article's id.
func scheduleThroughAPI(t *testing.T, base, token, headline string, at time.Time) int64 {
	t.Helper()
	var created struct{ ID int64 }
	apiCall(t, base, token, "POST", "/api/v1/articles", articleBody(headline, "draft"), http.StatusCreated, &created)
	var scheduled struct{ Status string }
	apiCall(t, base, token, "POST", fmt.Sprintf("/api/v1/articles/%d/schedule", created.ID),
		map[string]any{"publish_at": at.UTC().Format(time.RFC3339Nano)}, http.StatusOK, &scheduled)
	if scheduled.Status != "scheduled" {
		t.Fatalf("article %d after scheduling: status %q", created.ID, scheduled.Status)
	}
	return created.ID
}

func articleBody(headline, status string) map[string]any {
	return map[string]any{"headline": headline, "body": "High water at six.\n\nLow water at noon.", "section": "harbour", "status": status,
		"authors": []map[string]string{{"name": "Lee Seo-yeon", "email": "lee.seoyeon@paper.example"}}}
}

// waitPublished polls the article through nginx until it is published
// and returns when that was seen; it fails the test at deadline.
func waitPublished(t *testing.T, base, token string, id int64, deadline time.Time) time.Time {
	t.Helper()
	for ; time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var a struct{ Status string }
		apiCall(t, base, token, "GET", fmt.Sprintf("/api/v1/articles/%d", id), nil, http.StatusOK, &a)
		if a.Status == "published" {
			return time.Now()
		}
	}
	t.Fatalf("article %d was not published by %s", id, deadline.Format(time.RFC3339))
	return time.Time{}
}

func apiCall(t *testing.T, base, token, method, path string, body any, want int, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, raw)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("%s %s: %v: %s", method, path, err, raw)
	}
}

// findNginx returns the nginx binary, or skips the test outside CI when
// there is none (in CI it fails: .ci/run installs it).
func findNginx(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("nginx")
	if err != nil {
		p = "/usr/sbin/nginx" // Debian's, often outside a non-root PATH
		if _, serr := os.Stat(p); serr != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("nginx is not installed: in CI the nginx tests must run")
			}
			t.Skip("needs nginx (Debian's nginx package)")
		}
	}
	return p
}

// startNginx runs nginx in the foreground with deploy/nginx/broadsheet.conf
// in front of upstreams (host:port each, with the health settings of
// deploy/nginx/broadsheet-upstreams.conf), and returns its base URL once
// it answers /readyz through an instance. It is stopped when the test ends.
func startNginx(t *testing.T, bin string, upstreams []string) string {
	t.Helper()
	conf, err := os.ReadFile(filepath.Join("..", "..", "deploy", "nginx", "broadsheet.conf"))
	if err != nil {
		t.Fatal(err)
	}
	const listen = "\n    listen 80;\n"
	if !bytes.Contains(conf, []byte(listen)) {
		t.Fatalf("deploy/nginx/broadsheet.conf has no line %q to point at the test's port", strings.TrimSpace(listen))
	}
	health := upstreamHealth(t)
	dir := t.TempDir()
	var ups strings.Builder
	for _, u := range upstreams {
		fmt.Fprintf(&ups, "server %s %s;\n", u, health)
	}
	writeFile(t, filepath.Join(dir, "broadsheet-upstreams.conf"), ups.String())
	user := ""
	if os.Getuid() == 0 {
		user = "user root;" // workers must write the temp folders of a 0700 test folder
	}
	writeFile(t, filepath.Join(dir, "nginx.conf"), fmt.Sprintf(`%s
daemon off;
worker_processes 1; # one round-robin state, so which instance gets a request is predictable
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    include broadsheet.conf;
}
`, user, dir))

	for try := 1; ; try++ {
		port := freePort(t)
		writeFile(t, filepath.Join(dir, "broadsheet.conf"),
			strings.Replace(string(conf), listen, fmt.Sprintf("\n    listen 127.0.0.1:%d;\n", port), 1))
		base, stop, err := launchNginx(bin, dir, port)
		if err == nil {
			t.Cleanup(stop)
			return base
		}
		if try == 3 || !errors.Is(err, errPortTaken) {
			t.Fatal(err)
		}
	}
}

var errPortTaken = errors.New("the port was taken")

// launchNginx starts nginx on the configuration in dir and waits until it
// answers /readyz through an instance; stop ends it.
func launchNginx(bin, dir string, port int) (base string, stop func(), err error) {
	cmd := exec.Command(bin, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", filepath.Join(dir, "nginx.conf"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop = func() {
		_ = cmd.Process.Signal(os.Interrupt) // SIGINT: nginx's fast shutdown
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	base = fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case <-exited:
			logs, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			if bytes.Contains(logs, []byte("Address already in use")) {
				return "", nil, fmt.Errorf("nginx on port %d: %w", port, errPortTaken)
			}
			return "", nil, fmt.Errorf("nginx exited: %s\n%s", out.String(), logs)
		default:
		}
		if status, err := get(http.DefaultClient, base+"/readyz"); err == nil && status == http.StatusOK {
			return base, stop, nil
		}
	}
	stop()
	logs, _ := os.ReadFile(filepath.Join(dir, "error.log"))
	return "", nil, fmt.Errorf("nginx did not answer /readyz within 15 s: %s\n%s", out.String(), logs)
}

// upstreamHealth is what follows the address on the first server line of
// deploy/nginx/broadsheet-upstreams.conf (its max_fails and
// fail_timeout), so that the test runs with the shipped settings.
func upstreamHealth(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "nginx", "broadsheet-upstreams.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		f := strings.Fields(strings.TrimSuffix(strings.TrimSpace(line), ";"))
		if len(f) > 2 && f[0] == "server" {
			return strings.Join(f[2:], " ")
		}
	}
	t.Fatal("deploy/nginx/broadsheet-upstreams.conf has no server line")
	return ""
}

// freePort is a port on 127.0.0.1 that nothing listened on a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
