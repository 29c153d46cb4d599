package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
	"broadsheet/internal/config"
	"broadsheet/internal/webhook"
)

// received is one request a webhook receiver was sent.
type received struct {
	event, delivery, signature string
	body                       []byte
}

// TestWebhooks_registerDeliverAndLog is an admin's use of the webhook
// pages: a wrong address is refused with a message, a hook is registered
// and its secret shown once, a story published in the editor reaches a
// receiver with a signature that secret verifies, the delivery log shows
// it delivered, and the hook is deleted. The pages are looked at in
// English at 1280 px and in Korean at 360 px.
func TestWebhooks_registerDeliverAndLog(t *testing.T) {
	got := make(chan received, 8)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- received{r.Header.Get(webhook.HeaderEvent), r.Header.Get(webhook.HeaderDelivery), r.Header.Get(webhook.HeaderSignature), body}
	}))
	t.Cleanup(receiver.Close)
	s := startNewsroomSite(t, func(c *config.Config) {
		c.WebhooksAllowPrivate = true // the receiver is on this machine
		c.WebhooksEvery = 100 * time.Millisecond
	})
	admin := editorSignIn(t, s, account.Admin)
	s.open(t, admin, "/newsroom/webhooks")

	// Refused: an address that is not http or https, with the form kept.
	setValue(t, admin, "#webhook-url", "ftp://files.paper.example/hook")
	do(t, admin, chromedp.Click(`input[name=events][value="article.published"]`))
	if st := s.submit(t, admin, `.newsroom-webhooks form button[type=submit]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("an ftp address: status %d, want 422", st)
	}
	if msg := texts(t, admin, "#webhook-url-error"); len(msg) != 1 || msg[0] == "" {
		t.Errorf("an ftp address: field message %q, want one", msg)
	}
	if v := eval[string](t, admin, `document.querySelector("#webhook-url").value`); v != "ftp://files.paper.example/hook" {
		t.Errorf("after the refusal the address field holds %q, want what was typed", v)
	}

	setValue(t, admin, "#webhook-url", receiver.URL+"/hooks/broadsheet")
	if !eval[bool](t, admin, `document.querySelector('input[name=events][value="article.published"]').checked`) {
		do(t, admin, chromedp.Click(`input[name=events][value="article.published"]`))
	}
	if st := s.submit(t, admin, `.newsroom-webhooks form button[type=submit]`); st != http.StatusOK {
		t.Fatalf("register: status %d %q", st, texts(t, admin, ".form-error"))
	}
	secret := strings.TrimSpace(eval[string](t, admin, `(document.querySelector("#webhook-secret") || {}).textContent || ""`))
	if len(secret) < 32 {
		t.Fatalf("the secret shown after registering is %q, want a long one", secret)
	}
	screenshot(t, admin, "webhooks-registered-1280")
	s.open(t, admin, "/newsroom/webhooks")
	if n := count(t, admin, "#webhook-secret"); n != 0 {
		t.Errorf("the secret is shown again on a later visit")
	}
	if page := eval[string](t, admin, `document.body.innerText`); strings.Contains(page, secret) {
		t.Errorf("the list page contains the secret")
	}

	// A story published in the editor reaches the receiver, signed.
	ed := editorSignIn(t, s, account.Editor)
	editorNewDraft(t, s, ed, "Ferry to the islands runs on Sundays")
	if st := s.submit(t, ed, `button[formaction*="/publish"]`); st != http.StatusOK {
		t.Fatalf("publish: %d %q", st, texts(t, ed, ".form-error"))
	}
	var r received
	select {
	case r = <-got:
	case <-time.After(30 * time.Second):
		t.Fatal("no delivery reached the receiver within 30 s of publishing")
	}
	if r.event != "article.published" || r.delivery == "" || !strings.Contains(string(r.body), "Ferry to the islands runs on Sundays") {
		t.Errorf("delivery: event %q, id %q, body %s", r.event, r.delivery, r.body)
	}
	if err := webhook.Verify(secret, r.signature, r.body, time.Now(), 5*time.Minute); err != nil {
		t.Errorf("the signature does not verify with the secret shown once: %v", err)
	}

	// The delivery log names it, delivered with the receiver's 200.
	do(t, admin, chromedp.Click(`a[href*="/newsroom/webhooks/"]`), chromedp.WaitVisible(`.newsroom-webhook-log`))
	logURL := location(t, admin)
	deadline := time.Now().Add(20 * time.Second)
	for {
		row := eval[string](t, admin, `(document.querySelector(".newsroom-webhook-log tbody tr") || {}).innerText || ""`)
		if strings.Contains(row, r.delivery) && strings.Contains(row, "200") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the delivery log's row %q does not show delivery %s answered 200", row, r.delivery)
		}
		time.Sleep(200 * time.Millisecond)
		s.open(t, admin, logURL)
	}
	screenshot(t, admin, "webhooks-log-1280")

	// In Korean, on a phone: the same pages, in Korean, without sideways
	// scrolling.
	do(t, admin, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2)))
	for _, path := range []string{"/newsroom/webhooks?lang=ko", logURL + "?lang=ko"} {
		s.open(t, admin, path)
		if h := texts(t, admin, "h1"); len(h) != 1 || !hasHangul(h[0]) {
			t.Errorf("%s: heading %q, want Korean", path, h)
		}
		if w := eval[int](t, admin, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("%s: %d px wide at 360 px; widest: %s", path, w, eval[string](t, admin, `[...document.querySelectorAll("body *")].filter(e => !e.closest(".table-scroll") && e.getBoundingClientRect().right > 362).slice(0, 6).map(e => e.tagName + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).join(" ")`))
		}
	}
	screenshot(t, admin, "webhooks-log-360-ko")
	s.open(t, admin, "/newsroom/webhooks?lang=ko")
	screenshot(t, admin, "webhooks-360-ko")

	// Deleted: the list is empty, and the receiver hears nothing more.
	if st := s.submit(t, admin, `.newsroom-webhooks table button.danger`); st != http.StatusOK {
		t.Fatalf("delete: status %d", st)
	}
	if n := count(t, admin, ".newsroom-webhooks table"); n != 0 {
		t.Errorf("after deleting the only hook the list still shows a table")
	}
}

// hasHangul reports a string with a Hangul syllable in it.
func hasHangul(s string) bool {
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 {
			return true
		}
	}
	return false
}
