// Package webhook tells outside systems about events in the newsroom:
// admins register addresses for the events they want, and every event
// becomes one signed delivery per matching address. Deliveries are
// written to an outbox in the transaction of the change they report and
// sent from there by a Sender, so that neither a crash nor a receiver
// that is down loses one.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
)

// The events a webhook can be registered for.
const (
	ArticlePublished   = "article.published"
	ArticleUpdated     = "article.updated"
	ArticleUnpublished = "article.unpublished"
	CommentCreated     = "comment.created" // a comment shown at once
	CommentHeld        = "comment.held"    // a comment held for a moderator
)

// Events lists every event, in the order forms show them.
var Events = []string{ArticlePublished, ArticleUpdated, ArticleUnpublished, CommentCreated, CommentHeld}

// The headers of a delivery.
const (
	HeaderSignature = "Broadsheet-Signature"
	HeaderEvent     = "Broadsheet-Event"
	HeaderDelivery  = "Broadsheet-Delivery"
)

// Hook is an address registered for some events.
type Hook struct {
	ID        int64
	URL       string
	Events    []string
	Secret    string // shown once, when the hook is registered
	Active    bool
	CreatedAt time.Time
	CreatedBy int64
}

// Wants reports whether the hook is registered for event.
func (h Hook) Wants(event string) bool { return h.Active && slices.Contains(h.Events, event) }

// Status is where a delivery stands.
type Status string

// The statuses of a delivery.
const (
	Pending   Status = "pending"   // not sent yet, or to be tried again
	Delivered Status = "delivered" // the receiver answered 2xx
	Failed    Status = "failed"    // given up: no 2xx within GiveUpAfter
)

// Delivery is one event owed to one hook.
type Delivery struct {
	ID             int64
	HookID         int64
	Event          string
	DeliveryID     string // the Broadsheet-Delivery header, the same on every attempt
	Payload        []byte // the request body, JSON
	Status         Status
	Attempts       int
	NextAttemptAt  time.Time
	LastStatusCode int // 0 when no answer came
	LastError      string
	CreatedAt      time.Time
	DeliveredAt    time.Time // zero until delivered

	// The hook's address and secret, filled in for sending.
	URL    string
	Secret string
}

// ErrNotFound is a webhook that does not exist.
var ErrNotFound = errors.New("webhook not found")

// ErrForbidden is a request by someone who is not an admin.
var ErrForbidden = errors.New("only admins manage webhooks")

// ValidationError maps a field to what is wrong with it.
type ValidationError map[string]string

func (v ValidationError) Error() string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + v[k]
	}
	return "invalid webhook: " + strings.Join(parts, "; ")
}

// Store keeps hooks and their outbox.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	CreateWebhook(ctx context.Context, h *Hook) error
	Webhooks(ctx context.Context) ([]Hook, error)
	Webhook(ctx context.Context, id int64) (Hook, error)
	DeleteWebhook(ctx context.Context, id int64) error
	AddWebhookDelivery(ctx context.Context, d *Delivery) error
	WebhookDeliveries(ctx context.Context, hookID int64, limit int) ([]Delivery, error)
	// ClaimWebhookDeliveries takes up to limit pending deliveries due at
	// now and moves their next attempt to leaseUntil, in one short
	// transaction that no other instance's claim can share, so that each
	// is sent by one instance; a sender that dies holding one leaves it to
	// be taken again when the lease runs out.
	ClaimWebhookDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]Delivery, error)
	// FinishWebhookAttempt records an attempt's outcome: the status,
	// attempts, next attempt, last answer and delivery time of d.
	FinishWebhookAttempt(ctx context.Context, d Delivery) error
}

// Service registers hooks and writes deliveries to the outbox. Both
// doors, the API and the newsroom, go through it, so both check and
// refuse alike.
type Service struct {
	store        Store
	now          func() time.Time
	audit        *audit.Log
	allowPrivate bool
	resolve      func(ctx context.Context, host string) ([]string, error) // nil: the system's resolver
	wake         chan struct{}
	// emitted is set when Emit writes a delivery and cleared by Wake, so
	// that the many changes no hook wants (every comment on a paper with
	// no hooks) do not each send the sender to the database.
	emitted atomic.Bool
}

// NewService builds a Service; now may be nil for the wall clock.
// allowPrivate lets hooks reach loopback, private and link-local
// addresses, for tests and closed networks.
func NewService(store Store, log *audit.Log, now func() time.Time, allowPrivate bool) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now, audit: log, allowPrivate: allowPrivate, wake: make(chan struct{}, 1)}
}

// AllowPrivate reports whether private addresses are allowed.
func (s *Service) AllowPrivate() bool { return s.allowPrivate }

// Input is a hook to register.
type Input struct {
	URL    string
	Events []string
}

// maxURL bounds a hook's address.
const maxURL = 2000

// Register checks in and stores a new hook with a new secret, which the
// returned Hook carries: it is shown to the admin once, here.
func (s *Service) Register(ctx context.Context, actor account.Staff, in Input) (Hook, error) {
	if !actor.Role.CanAdminister() {
		return Hook{}, ErrForbidden
	}
	v := ValidationError{}
	u := strings.TrimSpace(in.URL)
	if msg := checkURL(ctx, u, s.allowPrivate, s.resolve); msg != "" {
		v["url"] = msg
	}
	var events []string
	for _, e := range Events {
		if slices.Contains(in.Events, e) {
			events = append(events, e)
		}
	}
	for _, e := range in.Events {
		if !slices.Contains(Events, e) {
			v["events"] = fmt.Sprintf("%q is not an event; choose from %s", e, strings.Join(Events, ", "))
		}
	}
	if len(in.Events) == 0 {
		v["events"] = "choose at least one event"
	}
	if len(v) > 0 {
		return Hook{}, v
	}
	h := Hook{URL: u, Events: events, Secret: "whsec_" + randomHex(24), Active: true,
		CreatedAt: s.now().UTC().Truncate(time.Millisecond), CreatedBy: actor.ID}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateWebhook(ctx, &h); err != nil {
			return err
		}
		return s.audit.Write(ctx, actor, "webhook.create", "webhook", h.ID, h.URL, nil,
			map[string]any{"url": h.URL, "events": h.Events})
	})
	if err != nil {
		return Hook{}, err
	}
	return h, nil
}

// List returns every hook, without their secrets.
func (s *Service) List(ctx context.Context, actor account.Staff) ([]Hook, error) {
	if !actor.Role.CanAdminister() {
		return nil, ErrForbidden
	}
	hooks, err := s.store.Webhooks(ctx)
	for i := range hooks {
		hooks[i].Secret = ""
	}
	return hooks, err
}

// Get returns one hook, without its secret.
func (s *Service) Get(ctx context.Context, actor account.Staff, id int64) (Hook, error) {
	if !actor.Role.CanAdminister() {
		return Hook{}, ErrForbidden
	}
	h, err := s.store.Webhook(ctx, id)
	h.Secret = ""
	return h, err
}

// Delete removes a hook and its deliveries, sent or not.
func (s *Service) Delete(ctx context.Context, actor account.Staff, id int64) error {
	if !actor.Role.CanAdminister() {
		return ErrForbidden
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		h, err := s.store.Webhook(ctx, id)
		if err != nil {
			return err
		}
		if err := s.store.DeleteWebhook(ctx, id); err != nil {
			return err
		}
		return s.audit.Write(ctx, actor, "webhook.delete", "webhook", id, h.URL,
			map[string]any{"url": h.URL, "events": h.Events}, nil)
	})
}

// deliveryPage is how many deliveries the log shows.
const deliveryPage = 100

// Deliveries lists a hook's latest deliveries, newest first.
func (s *Service) Deliveries(ctx context.Context, actor account.Staff, id int64) ([]Delivery, error) {
	if !actor.Role.CanAdminister() {
		return nil, ErrForbidden
	}
	if _, err := s.store.Webhook(ctx, id); err != nil {
		return nil, err
	}
	return s.store.WebhookDeliveries(ctx, id, deliveryPage)
}

// Emit writes one delivery of event, with data as its payload's "data",
// for every active hook registered for it. Call it with the context of
// the transaction that makes the change (store.DB.InTx): the change and
// its deliveries are kept or lost together. Call Wake once it commits.
func (s *Service) Emit(ctx context.Context, event string, data any) error {
	if s == nil {
		return nil
	}
	hooks, err := s.store.Webhooks(ctx)
	if err != nil {
		return fmt.Errorf("webhook: %s: %w", event, err)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	for _, h := range hooks {
		if !h.Wants(event) {
			continue
		}
		d := Delivery{HookID: h.ID, Event: event, DeliveryID: randomHex(16), Status: Pending,
			NextAttemptAt: now, CreatedAt: now}
		body, err := json.Marshal(map[string]any{"id": d.DeliveryID, "event": event,
			"created_at": now.Format(time.RFC3339Nano), "data": data})
		if err != nil {
			return fmt.Errorf("webhook: %s: %w", event, err)
		}
		d.Payload = body
		if err := s.store.AddWebhookDelivery(ctx, &d); err != nil {
			return fmt.Errorf("webhook: %s: %w", event, err)
		}
		s.emitted.Store(true)
	}
	return nil
}

// Wake tells this instance's sender that deliveries may be due, so it
// sends them at once rather than at its next poll. Call it after the
// transaction that emitted them commits. It does nothing when no
// delivery was written since the last Wake; in the rare interleaving
// where another change's Wake takes the mark first, the sender's poll
// sends the delivery a few seconds later.
func (s *Service) Wake() {
	if s == nil || !s.emitted.Swap(false) {
		return
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Sign is the Broadsheet-Signature header of body sent at t: the Unix
// time and the hex HMAC-SHA256, keyed by secret, of "<t>.<body>".
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

// Verify checks a Broadsheet-Signature header against body, as a
// receiver does; it refuses a signature older than tolerance.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return errors.New("webhook: malformed signature header")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return errors.New("webhook: signature too old")
	}
	if !hmac.Equal([]byte(sig), []byte(mac(secret, ts, body))) {
		return errors.New("webhook: signature does not match")
	}
	return nil
}

func mac(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	return hex.EncodeToString(b)
}
