package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrash_killLosesNoAcknowledgedWrite publishes articles through a real
// server process, kills it with SIGKILL straight after the last answer,
// starts it again on the same SQLite file and finds every article.
func TestCrash_killLosesNoAcknowledgedWrite(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	env := append(os.Environ(), "BROADSHEET_DATA="+data)

	out, err := exec.Command(bin, "token", "create", "--data", data, "--email", "ed@paper.example", "--name", "Ed", "--role", "editor").Output()
	if err != nil {
		t.Fatal(err)
	}
	token := lastLine(out)

	start := func() (*exec.Cmd, string) { return startServeProcess(t, bin, env) }
	api := func(base, method, path, body string) (*http.Response, map[string]any) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(res.Body).Decode(&m)
		return res, m
	}

	cmd, base := start()
	var ids []string
	for i := 0; i < 30; i++ {
		body := fmt.Sprintf(`{"headline":"Durable story %d","body":"Text.","section":"culture","authors":[{"name":"Ed","email":"ed@paper.example"}],"status":"published"}`, i)
		res, m := api(base, "POST", "/api/v1/articles", body)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("create %d: %d %v", i, res.StatusCode, m)
		}
		ids = append(ids, fmt.Sprint(m["id"]))
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown, no flush
		t.Fatal(err)
	}
	_ = cmd.Wait()

	cmd, base = start()
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	for i, id := range ids {
		if res, m := api(base, "GET", "/api/v1/articles/"+id, ""); res.StatusCode != http.StatusOK || m["headline"] != fmt.Sprintf("Durable story %d", i) {
			t.Errorf("article %s after the kill: %d %v", id, res.StatusCode, m["headline"])
		}
	}
}
