package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/audit"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// TestCrash_killKeepsEveryArticleWithItsAuditEntry writes articles through
// a real server process from several clients at once and kills it with
// SIGKILL in the middle of the stream. Afterwards every stored article
// has its article.create audit entry (the two are one transaction), and
// every article the server acknowledged with 201 is stored.
func TestCrash_killKeepsEveryArticleWithItsAuditEntry(t *testing.T) {
	bin := buildBinary(t)
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		data := t.TempDir()
		env := append(os.Environ(), "BROADSHEET_DATA="+data, "BROADSHEET_DB="+dsn)
		tok := exec.Command(bin, "token", "create", "--email", "ed@paper.example", "--name", "Ed", "--role", "editor")
		tok.Env = env
		out, err := tok.Output()
		if err != nil {
			t.Fatalf("token create: %v", err)
		}
		token := lastLine(out)

		// Three rounds on the same database: start the server, stream
		// articles into it, kill it mid-stream. A crash between an article
		// and its entry is a matter of timing; three kills make missing it
		// unlikely.
		var acked sync.Map // id -> headline
		var total atomic.Int64
		for round := range 3 {
			func() {
				cmd, base := startServeProcess(t, bin, env)
				killed := false
				defer func() {
					if !killed {
						_ = cmd.Process.Kill()
						_ = cmd.Wait()
					}
				}()

				// Four clients post until the server dies; each stops at its
				// first failed request, and after at most 300 posts.
				const clients, perClient, killAfter = 4, 300, 40
				var nAcked atomic.Int64
				client := &http.Client{Timeout: 30 * time.Second}
				var wg sync.WaitGroup
				for c := range clients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range perClient {
							headline := fmt.Sprintf("Crash story %d-%d-%d", round, c, i)
							body := fmt.Sprintf(`{"headline":%q,"body":"Text.","section":"culture","authors":[{"name":"Ed","email":"ed@paper.example"}],"status":"published"}`, headline)
							req, _ := http.NewRequest("POST", base+"/api/v1/articles", strings.NewReader(body))
							req.Header.Set("Authorization", "Bearer "+token)
							req.Header.Set("Content-Type", "application/json")
							res, err := client.Do(req)
							if err != nil {
								return // the server is gone
							}
							var m struct{ ID int64 }
							_ = json.NewDecoder(res.Body).Decode(&m)
							res.Body.Close()
							if res.StatusCode != http.StatusCreated {
								t.Errorf("%s: %d", headline, res.StatusCode)
								return
							}
							acked.Store(m.ID, headline)
							nAcked.Add(1)
						}
					}()
				}
				deadline := time.Now().Add(60 * time.Second)
				for nAcked.Load() < killAfter && time.Now().Before(deadline) {
					time.Sleep(5 * time.Millisecond)
				}
				if err := cmd.Process.Kill(); err != nil { // SIGKILL, mid-stream
					t.Fatal(err)
				}
				_ = cmd.Wait()
				killed = true
				wg.Wait()
				if nAcked.Load() < killAfter {
					t.Fatalf("round %d: only %d articles acknowledged before the kill", round, nAcked.Load())
				}
				total.Add(nAcked.Load())

			}()
		}
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		logged := map[int64]bool{}
		log := audit.New(db, nil, nil)
		for q := (audit.Query{Action: "article.create", Limit: 200}); ; {
			page, err := log.Entries(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, en := range page {
				logged[en.TargetID] = true
			}
			if len(page) < q.Limit {
				break
			}
			q.Before = page[len(page)-1].ID
		}
		stored := map[int64]bool{}
		for q := (article.ListQuery{Scope: article.SystemScope(), Limit: 100}); ; {
			page, err := db.ListArticles(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page {
				if !strings.HasPrefix(a.Headline, "Crash story") {
					continue // the demo's, loaded without the API
				}
				stored[a.ID] = true
				if !logged[a.ID] {
					t.Errorf("article %d (%q) is stored without its article.create entry", a.ID, a.Headline)
				}
			}
			if len(page) < 100 {
				break
			}
			last := page[len(page)-1]
			q.After = article.Cursor{PublishedAt: last.PublishedAt, ID: last.ID}
		}
		acked.Range(func(id, headline any) bool {
			if !stored[id.(int64)] {
				t.Errorf("acknowledged article %d (%q) was lost", id, headline)
			}
			return true
		})
		t.Logf("%d acknowledged, %d stored, %d article.create entries", total.Load(), len(stored), len(logged))
	})
}
