package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The sender's timings.
const (
	// SendTimeout bounds one request, from connecting to the answer.
	SendTimeout = 10 * time.Second
	// FirstRetry is the wait after the first failed attempt; each later
	// failure doubles it, up to MaxRetry.
	FirstRetry = 30 * time.Second
	MaxRetry   = time.Hour
	// GiveUpAfter is how long after its event a delivery is last tried.
	GiveUpAfter = 24 * time.Hour
	// lease is how long a claimed delivery is kept from other senders:
	// well past SendTimeout, so that only a sender that died leaves one
	// to be taken again.
	lease = time.Minute
	// batch is how many deliveries one round claims and sends at once.
	batch = 8
	// maxErrorText bounds the error kept with a delivery.
	maxErrorText = 500
)

// Backoff is the wait after attempts failed attempts.
func Backoff(attempts int) time.Duration {
	d := FirstRetry
	for i := 1; i < attempts && d < MaxRetry; i++ {
		d *= 2
	}
	return min(d, MaxRetry)
}

// Sender sends the outbox's due deliveries. Every instance runs one; the
// store's claim keeps two from sending the same delivery.
type Sender struct {
	svc    *Service
	client *http.Client
	logger *slog.Logger
	every  time.Duration
}

// NewSender builds the sender of svc's outbox, which polls every every
// besides waking at svc.Wake.
func NewSender(svc *Service, logger *slog.Logger, every time.Duration) *Sender {
	if logger == nil {
		logger = slog.Default()
	}
	if every <= 0 {
		every = 5 * time.Second
	}
	dialer := &net.Dialer{Timeout: SendTimeout, KeepAlive: 30 * time.Second}
	if !svc.allowPrivate {
		dialer.Control = dialControl
	}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would connect for us, past the dialer's check
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   SendTimeout,
		ResponseHeaderTimeout: SendTimeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
	}
	client := &http.Client{
		Transport: transport,
		Timeout:   SendTimeout,
		// A redirect would lead the request to an address nobody
		// registered; its answer is recorded as it is.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Sender{svc: svc, client: client, logger: logger, every: every}
}

// Run sends due deliveries until ctx ends: at once when woken, and every
// poll interval otherwise (for deliveries made by other instances, and
// retries falling due).
func (x *Sender) Run(ctx context.Context) {
	for {
		for {
			n, err := x.SendDue(ctx)
			if err != nil && ctx.Err() == nil {
				x.logger.Warn("sending webhooks failed", "err", err)
			}
			if err != nil || n < batch {
				break
			}
		}
		t := time.NewTimer(x.every)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-x.svc.wake:
			t.Stop()
		}
	}
}

// SendDue claims the deliveries due now, sends them at once and records
// each outcome; it returns how many it claimed.
func (x *Sender) SendDue(ctx context.Context) (int, error) {
	now := x.svc.now()
	claimCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	due, err := x.svc.store.ClaimWebhookDeliveries(claimCtx, now, now.Add(lease), batch)
	cancel()
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(due))
	for i := range due {
		wg.Go(func() { errs[i] = x.send(ctx, due[i]) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return len(due), err
		}
	}
	return len(due), nil
}

// send makes one attempt at d and records its outcome. A sender stopped
// mid-request records nothing: the lease runs out and the delivery is
// tried again, not counted as failed.
func (x *Sender) send(ctx context.Context, d Delivery) error {
	code, errText := x.post(ctx, d)
	if ctx.Err() != nil {
		return nil
	}
	now := x.svc.now().UTC().Truncate(time.Millisecond)
	d.Attempts++
	d.LastStatusCode, d.LastError = code, bound(errText)
	switch {
	case errText == "":
		d.Status, d.DeliveredAt = Delivered, now
	case now.Sub(d.CreatedAt) >= GiveUpAfter:
		d.Status = Failed
	default:
		d.Status, d.NextAttemptAt = Pending, now.Add(Backoff(d.Attempts))
	}
	if err := x.svc.store.FinishWebhookAttempt(ctx, d); err != nil {
		return fmt.Errorf("webhook: record delivery %s: %w", d.DeliveryID, err)
	}
	return nil
}

// post sends d once and returns the answer's status code (0 for none)
// and, unless it was a 2xx, what went wrong.
func (x *Sender) post(ctx context.Context, d Delivery) (int, string) {
	ctx, cancel := context.WithTimeout(ctx, SendTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Broadsheet-Webhooks/1")
	req.Header.Set(HeaderEvent, d.Event)
	req.Header.Set(HeaderDelivery, d.DeliveryID)
	req.Header.Set(HeaderSignature, Sign(d.Secret, x.svc.now(), d.Payload))
	resp, err := x.client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	// Enough of the answer to show in the log; the rest is drained so
	// the connection can be used again, within the request's deadline.
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, ""
	}
	msg := resp.Status
	if s := strings.TrimSpace(string(head)); s != "" {
		msg += ": " + s
	}
	return resp.StatusCode, msg
}

// bound cuts s to maxErrorText bytes, on a character boundary.
func bound(s string) string {
	if len(s) <= maxErrorText {
		return s
	}
	s = s[:maxErrorText]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
