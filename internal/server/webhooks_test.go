package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/config"
	"broadsheet/internal/store/storetest"
	"broadsheet/internal/webhook"
)

// events is a receiver that keeps the events it was sent.
type events struct {
	*httptest.Server
	mu  sync.Mutex
	got []string
}

func newEvents(t *testing.T) *events {
	ev := &events{}
	ev.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		ev.mu.Lock()
		ev.got = append(ev.got, r.Header.Get(webhook.HeaderEvent))
		ev.mu.Unlock()
	}))
	t.Cleanup(ev.Close)
	return ev
}

// await waits for the receiver to have been sent event, which the
// sender, woken by the change's commit, sends at once.
func (ev *events) await(t *testing.T, event string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		ev.mu.Lock()
		for i, e := range ev.got {
			if e == event {
				ev.got = append(ev.got[:i], ev.got[i+1:]...)
				ev.mu.Unlock()
				return
			}
		}
		ev.mu.Unlock()
	}
	t.Fatalf("no %s delivery arrived", event)
}

func allowPrivateWebhooks(c *config.Config) { c.WebhooksAllowPrivate = true }

// Every door that changes articles and comments reports through the same
// services, so each event arrives however the change was made; both
// doors register hooks through one service, admins only.
func TestWebhooks_everyEventThroughBothDoors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e, allowPrivateWebhooks)
		ev := newEvents(t)
		all := []string{webhook.ArticlePublished, webhook.ArticleUpdated, webhook.ArticleUnpublished, webhook.CommentCreated, webhook.CommentHeld}

		if res := ts.api(t, "POST", "/api/v1/webhooks", account.Editor, map[string]any{"url": ev.URL, "events": all}, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("an editor registering a webhook: %d, want 403", res.StatusCode)
		}
		var hook struct {
			ID     int64  `json:"id"`
			Secret string `json:"secret"`
		}
		if res := ts.api(t, "POST", "/api/v1/webhooks", account.Admin, map[string]any{"url": ev.URL, "events": all}, &hook); res.StatusCode != http.StatusCreated || hook.Secret == "" {
			t.Fatalf("register: %d, secret %q", res.StatusCode, hook.Secret)
		}
		var listed []map[string]any
		ts.api(t, "GET", "/api/v1/webhooks", account.Admin, nil, &listed)
		if len(listed) != 1 || listed[0]["secret"] != nil {
			t.Errorf("list: %v, want the hook without its secret", listed)
		}

		var a struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
		res := ts.api(t, "POST", "/api/v1/articles", account.Editor, map[string]any{"headline": "Hooked", "body": "Text.", "section": "culture",
			"authors": []map[string]string{{"name": "Ed", "email": "ed@paper.example"}}, "status": "published"}, &a)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		ev.await(t, webhook.ArticlePublished)
		if res := ts.api(t, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), account.Editor, map[string]any{"deck": "More."}, &a); res.StatusCode != http.StatusOK {
			t.Fatalf("update: %d", res.StatusCode)
		}
		ev.await(t, webhook.ArticleUpdated)

		ts.raiseLimits(t, nil)
		c := ts.newCommenter(t, "Hooky", true)
		if res, body := c.post(t, a.ID, "A fine story."); res.StatusCode != http.StatusCreated {
			t.Fatalf("comment: %d %s", res.StatusCode, body)
		}
		ev.await(t, webhook.CommentCreated)
		ts.raiseLimits(t, map[string]string{"comments_mode": "pre"})
		if res, body := c.post(t, a.ID, "Another thought."); res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusAccepted {
			t.Fatalf("held comment: %d %s", res.StatusCode, body)
		}
		ev.await(t, webhook.CommentHeld)

		if res := ts.api(t, "POST", fmt.Sprintf("/api/v1/articles/%d/unpublish", a.ID), account.Editor, nil, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("unpublish: %d", res.StatusCode)
		}
		ev.await(t, webhook.ArticleUnpublished)

		var log []map[string]any
		ts.api(t, "GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries", hook.ID), account.Admin, nil, &log)
		if len(log) != 5 {
			t.Errorf("delivery log: %d entries, want 5", len(log))
		}

		// The newsroom: admins only, the secret shown once, the log, removal.
		if res, _ := ts.signIn(t, "editor@paper.example").get(t, "/newsroom/webhooks"); res.StatusCode != http.StatusForbidden {
			t.Errorf("an editor opening the webhooks page: %d, want 403", res.StatusCode)
		}
		b := ts.signIn(t, "admin@paper.example")
		if res, body := b.post(t, "/newsroom/webhooks", url.Values{"url": {"ftp://paper.example/"}}); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "Choose at least one event") || !strings.Contains(body, "http:// or https://") {
			t.Errorf("a bad form in the newsroom: %d, want 422 naming both fields", res.StatusCode)
		}
		// A private address is allowed on this server (allowPrivateWebhooks).
		if res, body := b.post(t, "/newsroom/webhooks", url.Values{"url": {"http://10.0.0.7/"}, "events": {webhook.CommentHeld}}); res.StatusCode != http.StatusOK || !strings.Contains(body, "whsec_") {
			t.Errorf("add in the newsroom: %d, want the secret shown", res.StatusCode)
		}
		res, body := b.get(t, "/newsroom/webhooks")
		if res.StatusCode != http.StatusOK || strings.Contains(body, "whsec_") || !strings.Contains(body, ev.URL) {
			t.Errorf("webhooks page: %d, want the hooks listed and no secret", res.StatusCode)
		}
		if res, body := b.get(t, fmt.Sprintf("/newsroom/webhooks/%d", hook.ID)); res.StatusCode != http.StatusOK || !strings.Contains(body, "article.unpublished") {
			t.Errorf("delivery log page: %d", res.StatusCode)
		}
		if res, _ := b.post(t, fmt.Sprintf("/newsroom/webhooks/%d/delete", hook.ID), nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("remove: %d, want 303", res.StatusCode)
		}
		listed = nil
		ts.api(t, "GET", "/api/v1/webhooks", account.Admin, nil, &listed)
		if len(listed) != 1 {
			t.Errorf("after removing one of two: %d listed", len(listed))
		}
	})
}

func TestWebhooks_privateAddressRefusedWithAReason(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		var refused apiError
		res := ts.api(t, "POST", "/api/v1/webhooks", account.Admin,
			map[string]any{"url": "http://169.254.169.254/latest", "events": []string{webhook.ArticlePublished}}, &refused)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(refused.Fields["url"], "link-local") {
			t.Errorf("got %d %+v, want 422 saying the address is link-local", res.StatusCode, refused)
		}
	})
}
