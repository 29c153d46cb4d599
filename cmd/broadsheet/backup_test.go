package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/store/storetest"
)

// TestBackup_underLoadRestoresEveryAcknowledgedWrite publishes articles
// through the API of a running site without pause, runs "broadsheet
// backup" while it does, restores the backup into a new database with
// "broadsheet restore", checks the restored database's integrity, serves
// it, and finds there every article whose creation was acknowledged
// before the backup started.
func TestBackup_underLoadRestoresEveryAcknowledgedWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		dir := t.TempDir()
		src := e.DSN(t)
		restored, restoredDSN := filepath.Join(dir, "restored.db"), filepath.Join(dir, "restored.db")
		if e.Name == "postgres" {
			restored, restoredDSN = freshPostgresDatabase(t, src)
		}
		noenv := func(string) string { return "" }

		base, stop := serveForTest(t, src, dir)
		token := createToken(t, src, dir)
		type ack struct{ url, headline string }
		var (
			mu     sync.Mutex
			acks   []ack
			failed []string
		)
		quit := make(chan struct{})
		writerDone := make(chan struct{})
		go func() {
			defer close(writerDone)
			for i := 0; i < 5000; i++ {
				select {
				case <-quit:
					return
				default:
				}
				headline := fmt.Sprintf("Backup load article %d", i)
				url, err := publish(base, token, headline)
				mu.Lock()
				if err != nil {
					failed = append(failed, err.Error())
				} else {
					acks = append(acks, ack{url, headline})
				}
				mu.Unlock()
			}
		}()
		waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(acks) >= 20 })
		mu.Lock()
		before := append([]ack(nil), acks...)
		mu.Unlock()

		file := filepath.Join(dir, "site.backup")
		var out bytes.Buffer
		err := run(context.Background(), []string{"broadsheet", "backup", "--db", src, "--data", dir, "--to", file}, noenv, &out, io.Discard, nil)
		mu.Lock()
		during := len(acks) - len(before)
		mu.Unlock()
		close(quit)
		<-writerDone
		if err != nil {
			t.Fatalf("backup: %v", err)
		}
		t.Logf("%s; %d writes acknowledged before it, %d while it ran", strings.TrimSpace(out.String()), len(before), during)
		if len(failed) > 0 {
			t.Fatalf("%d writes failed while the backup ran, first: %s", len(failed), failed[0])
		}
		stop()

		// A second backup to the same name is refused.
		if err := run(context.Background(), []string{"broadsheet", "backup", "--db", src, "--data", dir, "--to", file}, noenv, io.Discard, io.Discard, nil); err == nil {
			t.Error("a second backup over the first succeeded without --force")
		}

		out.Reset()
		if err := run(context.Background(), []string{"broadsheet", "restore", "--db", restoredDSN, "--data", dir, "--from", file}, noenv, &out, io.Discard, nil); err != nil {
			t.Fatalf("restore: %v", err)
		}
		t.Log(strings.TrimSpace(out.String()))
		checkIntegrity(t, e.Name, restored)
		// Restoring again over data is refused without --force and done with it.
		again := []string{"broadsheet", "restore", "--db", restoredDSN, "--data", dir, "--from", file}
		if err := run(context.Background(), again, noenv, io.Discard, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "--force") {
			t.Errorf("restore over a restored database without --force: %v; want a refusal naming --force", err)
		}
		if err := run(context.Background(), append(again, "--force"), noenv, io.Discard, io.Discard, nil); err != nil {
			t.Fatalf("restore --force: %v", err)
		}
		checkIntegrity(t, e.Name, restored)

		base, stop = serveForTest(t, restoredDSN, dir)
		defer stop()
		for _, a := range before {
			res, err := http.Get(base + a.url)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !strings.Contains(string(body), a.headline) {
				t.Fatalf("%s, acknowledged before the backup, is missing from the restored site: %d", a.url, res.StatusCode)
			}
		}
	})
}

// serveForTest runs "broadsheet serve --demo" on dsn and returns its base
// URL and a function that stops it and waits until it has.
func serveForTest(t *testing.T, dsn, dir string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"broadsheet", "serve", "--db", dsn, "--data", dir, "--addr", "127.0.0.1:0", "--demo", "--access-log=false"},
			func(string) string { return "" }, io.Discard, io.Discard, func(a string) { addrc <- a })
	}()
	select {
	case a := <-addrc:
		var once sync.Once
		stop := func() {
			once.Do(func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("serve: %v", err)
				}
			})
		}
		t.Cleanup(stop)
		return "http://" + a, stop
	case err := <-done:
		cancel()
		t.Fatalf("serve stopped early: %v", err)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("serve did not start within 60 s")
	}
	return "", nil
}

func createToken(t *testing.T, dsn, dir string) string {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), []string{"broadsheet", "token", "create", "--db", dsn, "--data", dir, "--email", "ed@paper.example", "--name", "Ed", "--role", "editor"},
		func(string) string { return "" }, &out, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return lines[len(lines)-1]
}

// publish creates a published article and returns its URL once the
// server has answered 201.
func publish(base, token, headline string) (string, error) {
	body, _ := json.Marshal(map[string]any{"headline": headline, "body": "It happened.\n\nThen more happened.",
		"section": "national/social-affairs", "status": "published",
		"authors": []map[string]string{{"name": "Lee Seo-yeon", "email": "lee.seoyeon@paper.example"}}})
	req, _ := http.NewRequest("POST", base+"/api/v1/articles", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var created struct {
		URL string `json:"url"`
	}
	if err := json.NewDecoder(res.Body).Decode(&created); err != nil || res.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("create %q: %d %v", headline, res.StatusCode, err)
	}
	return created.URL, nil
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out waiting")
}

// freshPostgresDatabase creates an empty database on the server of dsn,
// dropped when the test ends, and returns a DSN for it and the DSN the
// restored schema is read through (the backup of a test's schema brings
// that schema's name along).
func freshPostgresDatabase(t *testing.T, dsn string) (admin, restored string) {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "restore_" + hex.EncodeToString(b)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	server := u.String()
	adb, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer adb.Close()
	if _, err := adb.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", server)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	u.Path = "/" + name
	admin = u.String()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return admin, u.String()
}

// checkIntegrity runs the engine's own check of a database: SQLite's
// integrity_check, or PostgreSQL's amcheck on every B-tree index.
func checkIntegrity(t *testing.T, engine, where string) {
	t.Helper()
	if engine == "sqlite" {
		db, err := sql.Open("sqlite", "file:"+where+"?mode=ro&_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var ok string
		if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("integrity check of the restored database: %q %v", ok, err)
		}
		return
	}
	db, err := sql.Open("pgx", where)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE EXTENSION IF NOT EXISTS amcheck`); err != nil {
		t.Fatalf("amcheck: %v", err)
	}
	var n int
	err = db.QueryRow(`SELECT count(bt_index_check(c.oid, true)) FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
		JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE am.amname = 'btree' AND ns.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`).Scan(&n)
	if err != nil || n == 0 {
		t.Fatalf("amcheck of the restored database: %d indexes, %v", n, err)
	}
}
