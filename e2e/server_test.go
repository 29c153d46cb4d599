package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	serverStartTimeout = 20 * time.Second
	serverStopTimeout  = 10 * time.Second
)

// server is the broadsheet binary running as a child process.
type server struct {
	cmd     *exec.Cmd
	baseURL string
	logDone chan struct{} // closed when stderr reaches EOF, i.e. the process exited
	mu      sync.Mutex
	logs    strings.Builder
}

// startServer runs "broadsheet serve --demo" on a free loopback port and
// waits until its "serving" log line names the bound address.
func startServer(bin, dataDir string, env ...string) (*server, error) {
	s := &server{logDone: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve", "--demo", "--data", dataDir,
		"--addr", "127.0.0.1:0", "--log-format", "json")
	s.cmd.Env = append(withoutBroadsheetVars(os.Environ()), env...)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start broadsheet: %w", err)
	}

	addrs := make(chan string, 1)
	go func() {
		defer close(s.logDone)
		defer close(addrs)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		found := false
		for sc.Scan() {
			line := sc.Bytes()
			s.mu.Lock()
			s.logs.Write(line)
			s.logs.WriteByte('\n')
			s.mu.Unlock()
			var rec struct{ Msg, Addr string }
			if !found && json.Unmarshal(line, &rec) == nil && rec.Msg == "serving" && rec.Addr != "" {
				found = true
				addrs <- rec.Addr
			}
		}
	}()

	timeout := time.NewTimer(serverStartTimeout)
	defer timeout.Stop()
	select {
	case addr, ok := <-addrs:
		if ok {
			s.baseURL = "http://" + addr
			return s, nil
		}
		_ = s.cmd.Wait()
		return nil, fmt.Errorf("broadsheet exited before serving (%v); its log:\n%s", s.cmd.ProcessState, s.log())
	case <-timeout.C:
		s.stop()
		return nil, fmt.Errorf("broadsheet did not log \"serving\" within %v; its log:\n%s", serverStartTimeout, s.log())
	}
}

func (s *server) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

// stop sends SIGTERM, as a service manager would, and waits for the exit.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	timeout := time.NewTimer(serverStopTimeout)
	defer timeout.Stop()
	select {
	case <-s.logDone:
	case <-timeout.C:
		fmt.Fprintln(os.Stderr, "e2e: broadsheet ignored SIGTERM; killing it")
		_ = s.cmd.Process.Kill()
		<-s.logDone
	}
	// Wait only after stderr is drained, as os/exec asks.
	if err := s.cmd.Wait(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: broadsheet exited with %v; its log:\n%s", err, s.log())
	}
}

// withoutBroadsheetVars drops BROADSHEET_* variables, so that a developer's
// BROADSHEET_DB or BROADSHEET_BASE_URL cannot point the server elsewhere.
func withoutBroadsheetVars(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "BROADSHEET_") {
			out = append(out, kv)
		}
	}
	return out
}
