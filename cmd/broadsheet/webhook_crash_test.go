package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
	"broadsheet/internal/webhook"
)

// TestCrash_killBetweenChangeAndSendLosesNoWebhook publishes an article
// through a real server process and kills it with SIGKILL before its
// webhook is sent: the receiver holds the previous delivery unanswered,
// so the sender is still busy with it when the second article commits.
// The outbox row was written with the article, so the server started
// again sends it, signed, under the delivery id the row was given.
func TestCrash_killBetweenChangeAndSendLosesNoWebhook(t *testing.T) {
	bin := buildBinary(t)
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		env := append(os.Environ(), "BROADSHEET_DATA="+t.TempDir(), "BROADSHEET_DB="+dsn, "BROADSHEET_WEBHOOKS_ALLOW_PRIVATE=true")
		tok := exec.Command(bin, "token", "create", "--email", "chief@paper.example", "--name", "Chief", "--role", "admin")
		tok.Env = env
		out, err := tok.Output()
		if err != nil {
			t.Fatalf("token create: %v", err)
		}
		token := lastLine(out)

		type got struct {
			delivery, signature string
			body                []byte
		}
		var mu sync.Mutex
		var received []got
		hold := true // the first delivery is left unanswered
		held := make(chan struct{})
		rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			received = append(received, got{r.Header.Get(webhook.HeaderDelivery), r.Header.Get(webhook.HeaderSignature), body})
			wait := hold
			hold = false
			mu.Unlock()
			if wait {
				close(held)
				<-r.Context().Done() // until the sender dies
				return
			}
		}))
		defer rc.Close()

		start := func() (*exec.Cmd, string) {
			cmd, base := startServeProcess(t, bin, env, "--access-log=false")
			t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
			return cmd, base
		}
		call := func(base, path string, in any, want int) []byte {
			t.Helper()
			body, _ := json.Marshal(in)
			req, _ := http.NewRequest("POST", base+path, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != want {
				t.Fatalf("POST %s: %d %s, want %d", path, res.StatusCode, b, want)
			}
			return b
		}
		publish := func(base, headline string) int64 {
			var a struct{ ID int64 }
			_ = json.Unmarshal(call(base, "/api/v1/articles", map[string]any{"headline": headline, "body": "Text.", "section": "culture",
				"authors": []map[string]string{{"name": "Chief", "email": "chief@paper.example"}}, "status": "published"}, http.StatusCreated), &a)
			return a.ID
		}

		cmd, base := start()
		var hook struct {
			ID     int64
			Secret string
		}
		_ = json.Unmarshal(call(base, "/api/v1/webhooks", map[string]any{"url": rc.URL, "events": []string{webhook.ArticlePublished}}, http.StatusCreated), &hook)
		publish(base, "First story")
		select {
		case <-held:
		case <-time.After(30 * time.Second):
			t.Fatal("the first delivery never reached the receiver")
		}
		second := publish(base, "Second story")
		if err := cmd.Process.Kill(); err != nil { // SIGKILL, before the second is sent
			t.Fatal(err)
		}
		_ = cmd.Wait()

		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		chief := account.Staff{Role: account.Admin}
		ds, err := webhook.NewService(db, nil, nil, true).Deliveries(ctx, chief, hook.ID)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 2 || ds[0].Status != webhook.Pending || ds[0].Attempts != 0 {
			t.Fatalf("outbox after the kill: got %+v, want the second delivery pending and never tried", ds)
		}
		owed := ds[0].DeliveryID

		start() // the sender sends what is owed on its first round
		var sent got
		for deadline := time.Now().Add(30 * time.Second); sent.delivery == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			mu.Lock()
			for _, g := range received {
				if g.delivery == owed {
					sent = g
				}
			}
			mu.Unlock()
		}
		if sent.delivery == "" {
			t.Fatalf("delivery %s was not sent after the restart", owed)
		}
		var payload struct {
			Event string
			Data  struct{ ID int64 }
		}
		if err := json.Unmarshal(sent.body, &payload); err != nil || payload.Event != webhook.ArticlePublished || payload.Data.ID != second {
			t.Errorf("payload %s: want article.published of article %d", sent.body, second)
		}
		if err := webhook.Verify(hook.Secret, sent.signature, sent.body, time.Now(), time.Minute); err != nil {
			t.Errorf("signature: %v", err)
		}
	})
}
