package webhook_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
	"broadsheet/internal/webhook"
)

var admin = account.Staff{ID: 0, Name: "Chief", Role: account.Admin}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// request is what a receiver was sent.
type request struct {
	event, delivery, signature string
	body                       []byte
}

// receiver is a local endpoint that answers with the next of its
// statuses (200 once they run out) and keeps what it was sent.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      []request
	statuses []int
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	rc := &receiver{statuses: statuses}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, request{r.Header.Get(webhook.HeaderEvent), r.Header.Get(webhook.HeaderDelivery), r.Header.Get(webhook.HeaderSignature), body})
		status := http.StatusOK
		if len(rc.statuses) > 0 {
			status, rc.statuses = rc.statuses[0], rc.statuses[1:]
		}
		rc.mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "answer "+http.StatusText(status))
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.got...)
}

type fixture struct {
	db     *store.DB
	clock  *clock
	svc    *webhook.Service
	sender *webhook.Sender
}

func setup(t *testing.T, e storetest.Engine, allowPrivate bool) fixture {
	db := e.Open(t)
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	svc := webhook.NewService(db, nil, c.now, allowPrivate)
	return fixture{db: db, clock: c, svc: svc, sender: webhook.NewSender(svc, nil, time.Second)}
}

// emit writes an event as a change's transaction does.
func (f fixture) emit(t *testing.T, event string, data any) {
	t.Helper()
	err := f.db.InTx(context.Background(), func(ctx context.Context) error { return f.svc.Emit(ctx, event, data) })
	if err != nil {
		t.Fatal(err)
	}
}

func (f fixture) sendDue(t *testing.T) int {
	t.Helper()
	n, err := f.sender.SendDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (f fixture) deliveries(t *testing.T, id int64) []webhook.Delivery {
	t.Helper()
	ds, err := f.svc.Deliveries(context.Background(), admin, id)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestSender_deliversSignedEventToLocalReceiver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := setup(t, e, true)
		rc := newReceiver(t)
		ctx := context.Background()
		hook, err := f.svc.Register(ctx, admin, webhook.Input{URL: rc.URL + "/hook", Events: []string{webhook.ArticlePublished}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hook.Secret, "whsec_") {
			t.Fatalf("secret %q: want one shown on registration", hook.Secret)
		}
		f.emit(t, webhook.ArticleUpdated, map[string]any{"id": 1}) // not registered for
		f.emit(t, webhook.ArticlePublished, map[string]any{"id": 7, "headline": "Rain"})
		if n := f.sendDue(t); n != 1 {
			t.Fatalf("sent %d deliveries, want 1 (only the event the hook is registered for)", n)
		}
		got := rc.requests()
		if len(got) != 1 {
			t.Fatalf("receiver got %d requests, want 1", len(got))
		}
		r := got[0]
		if r.event != webhook.ArticlePublished {
			t.Errorf("%s: got %q, want %q", webhook.HeaderEvent, r.event, webhook.ArticlePublished)
		}
		if err := webhook.Verify(hook.Secret, r.signature, r.body, f.clock.now(), 5*time.Minute); err != nil {
			t.Errorf("signature %q does not verify: %v", r.signature, err)
		}
		if err := webhook.Verify("whsec_other", r.signature, r.body, f.clock.now(), 5*time.Minute); err == nil {
			t.Error("signature verifies with another secret, want refused")
		}
		if !strings.Contains(string(r.body), `"headline":"Rain"`) || !strings.Contains(string(r.body), `"id":"`+r.delivery+`"`) {
			t.Errorf("body %s: want the event's data and the delivery id", r.body)
		}
		ds := f.deliveries(t, hook.ID)
		if len(ds) != 1 || ds[0].Status != webhook.Delivered || ds[0].LastStatusCode != 200 || ds[0].DeliveryID != r.delivery || ds[0].Attempts != 1 {
			t.Errorf("delivery log: got %+v, want one delivered with 200 in one attempt", ds)
		}
		if n := f.sendDue(t); n != 0 {
			t.Errorf("a second round sent %d, want nothing: it was delivered", n)
		}
	})
}

func TestSender_retriesAfterReceiverFailsThenGivesUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := setup(t, e, true)
		rc := newReceiver(t, http.StatusInternalServerError, http.StatusServiceUnavailable)
		ctx := context.Background()
		hook, err := f.svc.Register(ctx, admin, webhook.Input{URL: rc.URL, Events: []string{webhook.CommentHeld}})
		if err != nil {
			t.Fatal(err)
		}
		f.emit(t, webhook.CommentHeld, map[string]any{"id": 3})
		f.sendDue(t)
		d := f.deliveries(t, hook.ID)[0]
		if d.Status != webhook.Pending || d.Attempts != 1 || d.LastStatusCode != 500 || !strings.Contains(d.LastError, "answer Internal Server Error") {
			t.Fatalf("after a 500: got %+v, want pending after 1 attempt with the answer kept", d)
		}
		if want := f.clock.now().Add(webhook.FirstRetry); !d.NextAttemptAt.Equal(want) {
			t.Errorf("next attempt at %s, want %s", d.NextAttemptAt, want)
		}
		if n := f.sendDue(t); n != 0 {
			t.Fatalf("sent %d before the retry was due, want 0", n)
		}
		f.clock.add(webhook.FirstRetry)
		f.sendDue(t) // 503
		if d := f.deliveries(t, hook.ID)[0]; d.Attempts != 2 || !d.NextAttemptAt.Equal(f.clock.now().Add(2*webhook.FirstRetry)) {
			t.Fatalf("after a second failure: got %+v, want the wait doubled", d)
		}
		f.clock.add(2 * webhook.FirstRetry)
		f.sendDue(t) // 200
		got := rc.requests()
		if len(got) != 3 || got[0].delivery != got[2].delivery {
			t.Fatalf("receiver got %d requests, want 3 with one delivery id", len(got))
		}
		if err := webhook.Verify(hook.Secret, got[2].signature, got[2].body, f.clock.now(), time.Minute); err != nil {
			t.Errorf("retry's signature: %v", err)
		}
		if d := f.deliveries(t, hook.ID)[0]; d.Status != webhook.Delivered || d.Attempts != 3 || d.LastError != "" || d.DeliveredAt.IsZero() {
			t.Errorf("after the retry: got %+v, want delivered on the third attempt", d)
		}

		// A receiver that never answers 2xx is given up a day after the event.
		rc.mu.Lock()
		rc.statuses = nil
		for range 50 {
			rc.statuses = append(rc.statuses, http.StatusBadGateway)
		}
		rc.mu.Unlock()
		f.emit(t, webhook.CommentHeld, map[string]any{"id": 4})
		for range 40 {
			f.sendDue(t)
			if d := f.deliveries(t, hook.ID)[0]; d.Status != webhook.Pending {
				break
			}
			f.clock.add(webhook.MaxRetry)
		}
		if d := f.deliveries(t, hook.ID)[0]; d.Status != webhook.Failed || f.clock.now().Sub(d.CreatedAt) < webhook.GiveUpAfter {
			t.Errorf("got %+v, want failed, and not before a day", d)
		}
	})
}

func TestBackoff_doublesUpToTheCap(t *testing.T) {
	for attempts, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 8: time.Hour, 50: time.Hour} {
		if got := webhook.Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %s, want %s", attempts, got, want)
		}
	}
}

func TestRegister_refusesPrivateAddressesAndNonAdmins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := setup(t, e, false)
		ctx := context.Background()
		for _, u := range []string{"http://127.0.0.1:8080/", "http://localhost/hook", "http://10.1.2.3/", "http://192.168.0.10/",
			"http://172.16.5.4/", "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[fc00::1]/", "http://[fe80::1]/",
			"http://0.0.0.0/", "http://224.0.0.1/", "http://[::ffff:127.0.0.1]/", "http://0.1.2.3/", "http://100.64.0.1/",
			"http://198.18.0.1/", "http://240.0.0.1/", "http://[64:ff9b::a00:1]/", "ftp://example.com/", "https://user:pw@example.com/", "not a url"} {
			_, err := f.svc.Register(ctx, admin, webhook.Input{URL: u, Events: []string{webhook.ArticlePublished}})
			var ve webhook.ValidationError
			if !errors.As(err, &ve) || ve["url"] == "" {
				t.Errorf("register %s: got %v, want the address refused", u, err)
			}
		}
		if _, err := f.svc.Register(ctx, admin, webhook.Input{URL: "https://93.184.215.14/", Events: []string{"article.deleted"}}); err == nil {
			t.Error("an unknown event was accepted")
		}
		editor := account.Staff{ID: 2, Role: account.Editor}
		if _, err := f.svc.Register(ctx, editor, webhook.Input{URL: "https://93.184.215.14/", Events: []string{webhook.ArticlePublished}}); !errors.Is(err, webhook.ErrForbidden) {
			t.Errorf("an editor registering: got %v, want ErrForbidden", err)
		}
		if _, err := f.svc.Register(ctx, admin, webhook.Input{URL: "https://93.184.215.14/", Events: []string{webhook.ArticlePublished}}); err != nil {
			t.Errorf("a public address: %v", err)
		}
	})
}

// A name that resolved to a public address at registration may resolve
// to a private one later: the dialer refuses it at connect time.
func TestSender_refusesPrivateAddressAtConnectTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := setup(t, e, false)
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
		t.Cleanup(srv.Close)
		ctx := context.Background()
		h := webhook.Hook{URL: srv.URL, Events: []string{webhook.CommentCreated}, Secret: "whsec_x", Active: true, CreatedAt: f.clock.now()}
		if err := f.db.CreateWebhook(ctx, &h); err != nil { // as if its name resolved elsewhere when registered
			t.Fatal(err)
		}
		f.emit(t, webhook.CommentCreated, map[string]any{"id": 1})
		f.sendDue(t)
		if hits.Load() != 0 {
			t.Fatal("the sender connected to a loopback address")
		}
		d := f.deliveries(t, h.ID)[0]
		if d.Status != webhook.Pending || d.LastStatusCode != 0 || !strings.Contains(d.LastError, "non-public address") {
			t.Errorf("got %+v, want a refused connection recorded for a retry", d)
		}
	})
}

func TestService_emitJoinsTheChangesTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := setup(t, e, true)
		ctx := context.Background()
		hook, err := f.svc.Register(ctx, admin, webhook.Input{URL: "http://127.0.0.1:1/", Events: []string{webhook.ArticleUnpublished}})
		if err != nil {
			t.Fatal(err)
		}
		rollback := errors.New("the change failed")
		err = f.db.InTx(ctx, func(ctx context.Context) error {
			if err := f.svc.Emit(ctx, webhook.ArticleUnpublished, map[string]any{"id": 1}); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		if ds := f.deliveries(t, hook.ID); len(ds) != 0 {
			t.Errorf("a rolled-back change left %d deliveries, want none", len(ds))
		}
	})
}

// Senders of several instances share the outbox: each delivery is
// claimed, and sent, by one of them.
func TestSender_instancesNeverSendOneDeliveryTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := setup(t, e, true)
		rc := newReceiver(t)
		ctx := context.Background()
		if _, err := f.svc.Register(ctx, admin, webhook.Input{URL: rc.URL, Events: []string{webhook.CommentCreated}}); err != nil {
			t.Fatal(err)
		}
		const events = 30
		for i := range events {
			f.emit(t, webhook.CommentCreated, map[string]any{"id": i})
		}
		senders := []*webhook.Sender{f.sender, webhook.NewSender(webhook.NewService(f.db, nil, f.clock.now, true), nil, time.Second),
			webhook.NewSender(webhook.NewService(f.db, nil, f.clock.now, true), nil, time.Second)}
		var wg sync.WaitGroup
		for _, s := range senders {
			wg.Go(func() {
				for {
					n, err := s.SendDue(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if n == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		seen := map[string]int{}
		for _, r := range rc.requests() {
			seen[r.delivery]++
		}
		if len(seen) != events {
			t.Errorf("%d distinct deliveries arrived, want %d", len(seen), events)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("delivery %s arrived %d times, want once", id, n)
			}
		}
	})
}
