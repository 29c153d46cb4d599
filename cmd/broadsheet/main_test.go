package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRun_servesDemoAndAPI drives the whole program: serve the demo on a
// free port, create a token with the CLI, publish through the API, read
// the page, then shut down gracefully.
func TestRun_servesDemoAndAPI(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "BROADSHEET_DATA" {
			return dir
		}
		return ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	base, done := startServe(t, ctx, []string{"broadsheet", "serve", "--addr", "127.0.0.1:0", "--demo", "--log-format", "text"},
		getenv, io.Discard)
	if res, err := http.Get(base + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("/healthz: %v %v", res, err)
	}

	var out bytes.Buffer
	err := run(ctx, []string{"broadsheet", "token", "create", "--email", "ed@paper.example", "--name", "Ed", "--role", "editor"},
		getenv, &out, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	token := lines[len(lines)-1]
	if !strings.HasPrefix(token, "bst_") {
		t.Fatalf("last line %q is not a token", token)
	}

	body := `{"headline":"Council approves river park","body":"The council voted.\n\nWork starts soon.",
		"section":"national/social-affairs","authors":[{"name":"Lee Seo-yeon","email":"lee.seoyeon@paper.example"}],"status":"published"}`
	req, _ := http.NewRequest("POST", base+"/api/v1/articles", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		URL string `json:"url"`
	}
	_ = json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d", res.StatusCode)
	}
	page, err := http.Get(base + created.URL)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != 200 || !strings.Contains(string(html), "Council approves river park") {
		t.Errorf("article page: %d", page.StatusCode)
	}

	// A revoked token stops working at once.
	out.Reset()
	if err := run(ctx, []string{"broadsheet", "token", "revoke", "--token", token}, getenv, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	req, _ = http.NewRequest("GET", base+"/api/v1/articles", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("revoked token: %v %v, want 401", res.StatusCode, err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("graceful shutdown returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20 s of cancellation")
	}
	if _, err := os.Stat(filepath.Join(dir, "broadsheet.db")); err != nil {
		t.Errorf("no SQLite file in the data folder: %v", err)
	}
}

// startServe runs the program with args, a serve command listening on
// 127.0.0.1:0, in the background, its log going to stderr, and waits for
// it to listen. It returns the base URL and the channel that receives
// run's result once ctx is cancelled.
func startServe(t *testing.T, ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) (string, <-chan error) {
	t.Helper()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, getenv, io.Discard, stderr, func(a string) { addrc <- a })
	}()
	select {
	case a := <-addrc:
		return "http://" + a, done
	case err := <-done:
		t.Fatalf("serve stopped early: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start within 60 s")
	}
	return "", nil
}

func TestRun_refusesBadArguments(t *testing.T) {
	tests := [][]string{
		{"broadsheet"},
		{"broadsheet", "fly"},
		{"broadsheet", "serve", "--addr", "nonsense"},
		{"broadsheet", "serve", "--base-url", "ftp://x"},
		{"broadsheet", "serve", "--log-format", "xml"},
		{"broadsheet", "serve", "stray"},
		{"broadsheet", "token"},
		{"broadsheet", "token", "create", "--email", "not-an-email", "--name", "N", "--role", "editor"},
		{"broadsheet", "token", "create", "--email", "a@paper.example", "--name", "N", "--role", "king"},
		{"broadsheet", "token", "revoke"},
	}
	for _, args := range tests {
		err := run(context.Background(), args, func(string) string { return "" }, io.Discard, io.Discard, nil)
		if err == nil {
			t.Errorf("run(%q) succeeded, want an error", args)
		}
	}
}
