package main

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// startServeProcess starts `broadsheet serve --demo` on a free port of 127.0.0.1
// as a real process with env and extra flags, and returns it with its base
// URL once it logs that it is serving. The caller stops it.
func startServeProcess(t *testing.T, bin string, env []string, extra ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--demo", "--addr", "127.0.0.1:0", "--log-format", "json"}, extra...)...)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "serving" {
				addr <- rec.Addr
			}
		}
	}()
	select {
	case a := <-addr:
		return cmd, "http://" + a
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("server did not start")
		return nil, ""
	}
}

// lastLine is the token `broadsheet token create` prints last.
func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}
