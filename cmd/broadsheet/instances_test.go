package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"broadsheet/internal/store/storetest"
)

// instance is one "broadsheet serve" process started by a test, as an
// operator runs it: its own process, killed with SIGKILL if need be.
type instance struct {
	cmd  *exec.Cmd
	URL  string // http://127.0.0.1:port
	logs *lockedBuffer

	done chan struct{} // closed when the process has exited
	err  error         // its exit, once done is closed
}

// startInstance runs the built binary with "serve --addr 127.0.0.1:0" and
// args, and returns once it logs that it is serving. env is added to the
// test's own environment. The process is killed when the test ends.
func startInstance(t *testing.T, bin string, env []string, args ...string) *instance {
	t.Helper()
	in, err := launchInstance(bin, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Kill() })
	return in
}

// startInstances starts n instances at the same moment (as a deployment
// does after an upgrade) and fails the test if any of them does not come up.
func startInstances(t *testing.T, bin string, n int, env []string, args ...string) []*instance {
	t.Helper()
	out := make([]*instance, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			out[i], errs[i] = launchInstance(bin, env, args...)
		})
	}
	close(start)
	wg.Wait()
	for _, in := range out {
		if in != nil {
			t.Cleanup(func() { in.Kill() })
		}
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d of %d: %v", i+1, n, err)
		}
	}
	return out
}

func launchInstance(bin string, env []string, args ...string) (*instance, error) {
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	in := &instance{cmd: cmd, logs: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout = in.logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			_, _ = in.logs.Write(append(line, '\n'))
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(line, &rec) == nil && rec.Msg == "serving" {
				select {
				case addr <- rec.Addr:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	go func() { in.err = cmd.Wait(); close(in.done) }()
	select {
	case a := <-addr:
		in.URL = "http://" + a
		return in, nil
	case <-in.done:
		return nil, &startError{in.err, in.logs.String()}
	case <-time.After(90 * time.Second):
		in.Kill()
		return nil, &startError{errStartTimeout, in.logs.String()}
	}
}

// Kill ends the process with SIGKILL (no shutdown, no flush) and waits
// for it; killing one that has exited does nothing.
func (in *instance) Kill() {
	_ = in.cmd.Process.Signal(syscall.SIGKILL)
	<-in.done
}

// Stop ends the process with SIGTERM, as a service manager does, and
// waits for it.
func (in *instance) Stop() {
	_ = in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.done:
	case <-time.After(30 * time.Second):
		in.Kill()
	}
}

// Logs is what the process has written so far.
func (in *instance) Logs() string { return in.logs.String() }

type startError struct {
	err  error
	logs string
}

func (e *startError) Error() string {
	return "did not start: " + e.err.Error() + "\n" + tail(e.logs, 4000)
}

var errStartTimeout = timeoutError("no \"serving\" line within 90 s")

type timeoutError string

func (e timeoutError) Error() string { return string(e) }

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// postgresServer returns the PostgreSQL DSN of the test server, or skips
// the test outside CI when none is configured (in CI it fails).
func postgresServer(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv(storetest.EnvDSN)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: in CI the PostgreSQL tests must run", storetest.EnvDSN)
		}
		t.Skipf("needs PostgreSQL: set %s", storetest.EnvDSN)
	}
	return dsn
}

// emptyPostgresDatabase creates a new database on the test server, with
// nothing in it, dropped when the test ends: several instances started on
// it find no schema, as on a first deployment.
func emptyPostgresDatabase(t *testing.T) string {
	t.Helper()
	admin, _ := freshPostgresDatabase(t, postgresServer(t))
	return strings.TrimSpace(admin)
}
