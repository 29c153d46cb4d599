// Package purge tells an HTTP cache in front of Broadsheet (Varnish, see
// deploy/varnish/default.vcl) to drop the pages a content change made out
// of date, by the same surrogate keys the site's own page cache uses.
//
// The instance that makes a change sends the purge. The caller never
// waits on the cache: keys are queued, gathered for a moment so that one
// change touching many keys (or many changes at once) costs one request,
// and sent by a background loop that retries with backoff. A purge that
// still fails is kept and tried again later, and reported on /readyz,
// without taking the instance out of service.
package purge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"broadsheet/internal/cache"
)

// AllKey is the key the VCL adds to every object it stores; purging it
// empties the cache. cache.KeyAll and cache.KeySettings (every page shows
// the settings) are sent as it.
const AllKey = "all"

// Header carries the space-separated keys of a purge request.
const Header = "Xkey-Purge"

// Options tune a Client; zero values take the defaults.
type Options struct {
	Window     time.Duration // how long keys are gathered before a request; default 20 ms
	MaxHeader  int           // bytes of keys in one request, above which they are split; default 4000
	MaxPending int           // distinct keys waiting, above which they collapse to AllKey; default 10000
	Attempts   int           // tries of one request before it waits for the next round; default 4
	Backoff    time.Duration // wait after the first failed try, doubled after each; default 100 ms
	RetryEvery time.Duration // wait before the next round after a round failed; default 5 s
	Timeout    time.Duration // of one request; default 5 s
	Again      time.Duration // when to send each purge a second time (see Run); default 2 s, negative: never
	Client     *http.Client  // default: a client with Timeout
}

func (o *Options) defaults() {
	if o.Window <= 0 {
		o.Window = 20 * time.Millisecond
	}
	if o.MaxHeader <= 0 {
		o.MaxHeader = 4000
	}
	if o.MaxPending <= 0 {
		o.MaxPending = 10000
	}
	if o.Attempts <= 0 {
		o.Attempts = 4
	}
	if o.Backoff <= 0 {
		o.Backoff = 100 * time.Millisecond
	}
	if o.RetryEvery <= 0 {
		o.RetryEvery = 5 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Again == 0 {
		o.Again = 2 * time.Second
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: o.Timeout}
	}
}

// Client is a cache.Invalidator that purges an HTTP cache. Run must be
// running for the purges to be sent.
type Client struct {
	url    string
	shown  string // url without its password, for messages
	logger *slog.Logger
	opt    Options
	wake   chan struct{} // holds one token when keys are waiting

	mu          sync.Mutex
	pending     []string            // keys in the order they came
	seen        map[string]struct{} // the same keys, to send each once
	all         bool                // everything is to be purged; pending is then empty
	failing     bool                // the last round failed and its keys wait for the next
	lastFailure time.Time
	lastErr     error
	sent        int // requests that succeeded
}

// New makes a client purging through address, such as http://127.0.0.1:6081/.
func New(address string, logger *slog.Logger, opt Options) *Client {
	opt.defaults()
	shown := address
	if u, err := url.Parse(address); err == nil {
		shown = u.Redacted() // a password in the address stays out of logs and /readyz
	}
	return &Client{url: address, shown: shown, logger: logger, opt: opt, wake: make(chan struct{}, 1), seen: map[string]struct{}{}}
}

// Invalidate queues keys for purging and returns at once.
func (c *Client) Invalidate(keys ...string) {
	if len(keys) == 0 {
		return
	}
	c.mu.Lock()
	c.addLocked(keys)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *Client) addLocked(keys []string) {
	for _, k := range keys {
		if c.all {
			return
		}
		if k == cache.KeyAll || k == cache.KeySettings || k == AllKey || len(c.pending) >= c.opt.MaxPending {
			// A full queue becomes one purge of everything: it stays
			// correct, costs the cache a refill, and bounds the memory.
			c.all, c.pending, c.seen = true, nil, map[string]struct{}{}
			return
		}
		if _, dup := c.seen[k]; dup || k == "" {
			continue
		}
		c.seen[k] = struct{}{}
		c.pending = append(c.pending, k)
	}
}

// take removes and returns what is waiting.
func (c *Client) take() (keys []string, all bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys, all = c.pending, c.all
	c.pending, c.all, c.seen = nil, false, map[string]struct{}{}
	return keys, all
}

// Run sends the queued purges until ctx ends, then sends what is still
// waiting: a change made just before a shutdown is purged too.
//
// Every purge is sent a second time, Options.Again after it went through.
// A page Varnish was fetching when the change was made arrives after the
// first purge, with the content from before the change; the second purge
// drops it, so an article taken down is not served for a page's whole
// max-age. Each purge keeps its own due time: keys purged at different
// moments are not sent again together, lest a late one be sent again too
// soon for a fetch under way to have ended.
func (c *Client) Run(ctx context.Context) {
	var again againQueue
	defer func() { c.finish(&again) }()
	var retry <-chan time.Time // set while a failed round waits to be tried again
	for {
		select {
		case <-ctx.Done():
			return
		case <-again.timer():
			keys := again.takeDue(time.Now())
			if err := c.send(ctx, keys); err != nil && ctx.Err() == nil {
				retry = time.After(c.opt.RetryEvery) // the keys are pending again
			}
			continue
		case <-c.wake:
		case <-retry:
		}
		// Gather what else comes in the same moment: a change usually
		// invalidates in several calls.
		select {
		case <-ctx.Done():
			return
		case <-time.After(c.opt.Window):
		}
		retry = nil
		keys, err := c.flush(ctx)
		if err != nil && ctx.Err() == nil {
			retry = time.After(c.opt.RetryEvery)
		}
		c.sendAgainLater(&again, keys)
	}
}

// sendAgainLater queues keys, just purged, to be purged again.
func (c *Client) sendAgainLater(again *againQueue, keys []string) {
	if len(keys) > 0 && c.opt.Again > 0 {
		again.add(keys, time.Now().Add(c.opt.Again), c.opt.MaxPending)
	}
}

// finishWait bounds sending what waits when Run stops, beyond waiting for
// the second sending of the last purges.
const finishWait = 2 * time.Second

// finish sends what is waiting, then, once due, the second sending of
// every purge made in the last moments (at most Options.Again away), so
// that a shutdown right after a change does not lose it.
func (c *Client) finish(again *againQueue) {
	ctx, cancel := context.WithTimeout(context.Background(), finishWait+max(c.opt.Again, 0))
	defer cancel()
	keys, _ := c.flush(ctx) // a failure is logged and shown by send
	c.sendAgainLater(again, keys)
	last, ok := again.lastDue()
	if !ok {
		return
	}
	select {
	case <-ctx.Done():
		return
	case <-time.After(time.Until(last)):
	}
	_ = c.send(ctx, again.takeDue(last)) // a failure is logged and shown by send
}

// flush sends everything waiting and returns the keys that went through.
func (c *Client) flush(ctx context.Context) ([]string, error) {
	keys, all := c.take()
	if all {
		keys = []string{AllKey}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	err := c.send(ctx, keys)
	if err != nil {
		return nil, err
	}
	return keys, nil
}

// send purges keys in requests of bounded size; what fails goes back in
// the queue, to be tried in a later round.
func (c *Client) send(ctx context.Context, keys []string) error {
	batches := chunks(keys, c.opt.MaxHeader)
	for i, batch := range batches {
		if err := c.sendWithRetry(ctx, batch); err != nil {
			c.mu.Lock()
			c.failing, c.lastFailure, c.lastErr = true, time.Now(), err
			for _, rest := range batches[i:] {
				c.addLocked(rest)
			}
			n := len(c.pending)
			if c.all {
				n = 1
			}
			c.mu.Unlock()
			c.logger.Warn("purging the HTTP cache failed; trying again later", "url", c.shown, "keys", len(batch), "pending", n, "err", err)
			return err
		}
	}
	c.mu.Lock()
	c.failing = false
	c.mu.Unlock()
	return nil
}

func (c *Client) sendWithRetry(ctx context.Context, keys []string) error {
	wait := c.opt.Backoff
	var err error
	for attempt := 1; ; attempt++ {
		if err = c.request(ctx, keys); err == nil {
			c.mu.Lock()
			c.sent++
			c.mu.Unlock()
			return nil
		}
		if attempt == c.opt.Attempts {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (c *Client) request(ctx context.Context, keys []string) error {
	req, err := http.NewRequestWithContext(ctx, "PURGE", c.url, nil)
	if err != nil {
		return fmt.Errorf("PURGE %s: %w", c.shown, err)
	}
	req.Header.Set(Header, strings.Join(keys, " "))
	res, err := c.opt.Client.Do(req)
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		err = ue.Err // the method and address are said below
	}
	if err != nil {
		return fmt.Errorf("PURGE %s: %w", c.shown, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("PURGE %s: answered %s", c.shown, res.Status)
	}
	return nil
}

// chunks splits keys into lists whose space-joined length stays within
// max bytes (a key longer than max goes alone).
func chunks(keys []string, max int) [][]string {
	var out [][]string
	var cur []string
	size := 0
	for _, k := range keys {
		if len(cur) > 0 && size+1+len(k) > max {
			out = append(out, cur)
			cur, size = nil, 0
		}
		if len(cur) > 0 {
			size++
		}
		cur = append(cur, k)
		size += len(k)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// Status is the line /readyz shows: whether the last purge went through
// and, after a failure, when and why, and how much is still waiting.
func (c *Client) Status() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.pending)
	if c.all {
		n = 1
	}
	if !c.failing {
		return fmt.Sprintf("purge: ok (%d sent, %d pending)", c.sent, n)
	}
	return fmt.Sprintf("purge: last failure at %s: %v; %d pending", c.lastFailure.UTC().Format(time.RFC3339), c.lastErr, n)
}
