package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLogFormat_textAtATerminalJSONForServices(t *testing.T) {
	tests := []struct {
		chosen             string
		explicit, terminal bool
		want               string
	}{
		{"json", false, true, "text"},  // a person running the README's command
		{"json", false, false, "json"}, // a service: systemd, a container
		{"json", true, true, "json"},   // --log-format json at a terminal
		{"text", true, false, "text"},  // --log-format text into a file
	}
	for _, tt := range tests {
		if got := logFormat(tt.chosen, tt.explicit, tt.terminal); got != tt.want {
			t.Errorf("logFormat(%q, explicit %v, terminal %v) = %q, want %q", tt.chosen, tt.explicit, tt.terminal, got, tt.want)
		}
	}
}

func TestFlagGiven_onlyWhatTheCommandLineSet(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.String("log-format", "json", "")
	fs.String("addr", "", "")
	if err := fs.Parse([]string{"--addr", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	if flagGiven(fs, "log-format") || !flagGiven(fs, "addr") {
		t.Errorf("flagGiven: log-format %v (want false), addr %v (want true)", flagGiven(fs, "log-format"), flagGiven(fs, "addr"))
	}
}

// serveAtTerminal runs serve as if stdout were a terminal until it has
// started, then stops it; it returns what went to stdout and stderr and
// the address bound.
func serveAtTerminal(t *testing.T, args []string, env map[string]string) (stdout, stderr, addr string) {
	t.Helper()
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "BROADSHEET_DATA" {
			return dir
		}
		return env[k]
	}
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, args, getenv, &out, &errOut, func(a string) { addrc <- a }, true)
	}()
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve stopped early: %v\n%s", err, errOut.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start within 60 s")
	}
	if res, err := http.Get("http://" + addr + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("/healthz: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	// serve has returned: its log writer is closed, nothing writes now.
	return out.String(), errOut.String(), addr
}

func TestServe_atATerminalSaysWhereTheSiteIsAndLogsText(t *testing.T) {
	stdout, stderr, addr := serveAtTerminal(t, []string{"--addr", "127.0.0.1:0", "--demo"}, nil)
	want := "Broadsheet is serving http://" + addr + "/ (demo paper loaded)\n"
	if stdout != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	if strings.HasSuffix(addr, ":0") {
		t.Errorf("the line names port 0, not the port bound: %q", addr)
	}
	if !strings.Contains(stderr, "level=INFO msg=started") || !strings.Contains(stderr, "msg=request") || strings.Contains(stderr, `{"time"`) {
		t.Errorf("the log is not text at a terminal:\n%s", firstLines(stderr, 5))
	}
}

func TestServe_atATerminalKeepsTheChosenJSONLog(t *testing.T) {
	stdout, stderr, addr := serveAtTerminal(t, []string{"--addr", "127.0.0.1:0"}, map[string]string{"BROADSHEET_LOG_FORMAT": "json"})
	if want := "Broadsheet is serving http://" + addr + "/\n"; stdout != want {
		t.Errorf("stdout = %q, want %q (no demo paper was loaded)", stdout, want)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	requests := 0
	for _, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("a log line is not JSON although BROADSHEET_LOG_FORMAT=json: %q", l)
		}
		if v["msg"] == "request" && v["path"] == "/healthz" && v["status"] == 200.0 && v["request_id"] != "" {
			requests++
		}
	}
	if requests != 1 {
		t.Errorf("%d access lines for the one request to /healthz:\n%s", requests, stderr)
	}
}

func TestServe_notATerminalPrintsNothingOnStdout(t *testing.T) {
	var out bytes.Buffer
	if isTerminal(&out) {
		t.Fatal("a buffer is not a terminal")
	}
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "BROADSHEET_DATA" {
			return dir
		}
		return ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	started := make(chan struct{})
	go func() {
		done <- run(ctx, []string{"broadsheet", "serve", "--addr", "127.0.0.1:0"}, getenv, &out, io.Discard, func(string) { close(started) })
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("serve stopped early: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("a service's stdout got %q", out.String())
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
