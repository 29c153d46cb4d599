package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"broadsheet/internal/cache"
	"broadsheet/internal/store/storetest"
)

// recorder is a local part of an instance that records what it is told
// to invalidate, and, as a page keeper, whether it is told to bypass its
// cache and the lifetime set on its pages.
type recorder struct {
	mu       sync.Mutex
	calls    [][]string
	bypass   bool
	lifetime time.Duration
}

func (r *recorder) BypassCache(on bool) {
	r.mu.Lock()
	r.bypass = on
	r.mu.Unlock()
}

func (r *recorder) SetPageLifetime(d time.Duration) {
	r.mu.Lock()
	r.lifetime = d
	r.mu.Unlock()
}

func (r *recorder) bypassed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bypass
}

func (r *recorder) Invalidate(keys ...string) {
	r.mu.Lock()
	r.calls = append(r.calls, slices.Clone(keys))
	r.mu.Unlock()
}

// count is how many calls named key.
func (r *recorder) count(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.calls {
		if slices.Contains(c, key) {
			n++
		}
	}
	return n
}

// keys is every key received, once each.
func (r *recorder) keys() map[string]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]bool{}
	for _, c := range r.calls {
		for _, k := range c {
			out[k] = true
		}
	}
	return out
}

func (r *recorder) reset() {
	r.mu.Lock()
	r.calls = nil
	r.mu.Unlock()
}

// eventually polls cond for up to 10 s, generous for a bound the site
// promises in one second.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10 s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// postgresDSN is a fresh schema of its own on the test server.
func postgresDSN(t *testing.T) string {
	t.Helper()
	for _, e := range storetest.Engines(t) {
		if e.Name == "postgres" {
			return e.DSN(t)
		}
	}
	t.Skip("needs PostgreSQL")
	return ""
}

// start runs a broadcaster until the test ends and waits until it listens.
func start(t *testing.T, opts Options) (*Broadcaster, *recorder) {
	t.Helper()
	rec := &recorder{}
	b, err := New(opts, rec)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	eventually(t, "the listener listens", func() bool { return listening(b) })
	rec.reset() // the first connection empties the (empty) cache
	return b, rec
}

func listening(b *Broadcaster) bool {
	line, _ := b.Ready(time.Now())
	return strings.HasPrefix(line, "invalidation: listening since")
}

// observer listens on a site's channel as a bystander and keeps every
// payload sent on it.
type observer struct {
	mu       sync.Mutex
	payloads []string
}

func observe(t *testing.T, dsn string) *observer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var scope string
	if err := conn.QueryRow(ctx, scopeQuery).Scan(&scope); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{channelName(scope)}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	o := &observer{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				return
			}
			o.mu.Lock()
			o.payloads = append(o.payloads, n.Payload)
			o.mu.Unlock()
		}
	}()
	t.Cleanup(func() { cancel(); <-done; closeConn(conn) })
	return o
}

func (o *observer) got() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.payloads)
}

func TestPayloads_splitUnderTheLimitOrSayEverything(t *testing.T) {
	from := newID()
	var keys []string
	for i := range 1500 { // about 3 messages' worth
		keys = append(keys, fmt.Sprintf("p-a-rather-long-page-slug-%04d", i))
	}
	keys = append(keys, `p-"quoted"<&>`) // escaped by JSON: counted as sent
	ps := payloads(from, keys)
	if len(ps) < 2 || len(ps) > maxMessages {
		t.Fatalf("%d keys made %d messages; want between 2 and %d", len(keys), len(ps), maxMessages)
	}
	var back []string
	for _, p := range ps {
		if len(p) >= 8000 {
			t.Errorf("a payload of %d bytes; PostgreSQL refuses 8000 or more", len(p))
		}
		var m message
		if err := json.Unmarshal([]byte(p), &m); err != nil || m.From != from {
			t.Fatalf("payload %q: %v, from %q", p[:40], err, m.From)
		}
		back = append(back, m.Keys...)
	}
	if !slices.Equal(back, keys) {
		t.Errorf("the messages carry %d keys, want the %d given in order", len(back), len(keys))
	}

	all := []string{encode(from, []string{cache.KeyAll})}
	for name, keys := range map[string][]string{
		"too many for maxMessages": func() []string {
			var k []string
			for i := range 20_000 {
				k = append(k, fmt.Sprintf("a%d", i))
			}
			return k
		}(),
		"one key too long":      {"a1", "p-" + strings.Repeat("x", 8000)},
		"everything among them": {"a1", cache.KeyAll, "s2"},
	} {
		if got := payloads(from, keys); !slices.Equal(got, all) {
			t.Errorf("%s: got %d messages, want the one of cache.KeyAll", name, len(got))
		}
	}
}

// TestBroadcast_reachesOthersNotItselfNorOtherSites checks the path of a
// change: invalidated here at once, received by the other instance of the
// site, not a second time by the sender from its own message, and not at
// all by a site in another schema of the same database.
func TestBroadcast_reachesOthersNotItselfNorOtherSites(t *testing.T) {
	dsn := postgresDSN(t)
	a, recA := start(t, Options{DSN: dsn})
	b, recB := start(t, Options{DSN: dsn})
	_, recOther := start(t, Options{DSN: postgresDSN(t)})

	sent := time.Now()
	a.Invalidate(cache.ArticleKey(7), cache.SectionKey(2))
	if recA.count("a7") != 1 {
		t.Fatalf("the sender invalidated a7 %d times at once, want 1", recA.count("a7"))
	}
	eventually(t, "the other instance receives a7", func() bool { return recB.count("a7") == 1 && recB.count("s2") == 1 })
	t.Logf("received %s after the call", time.Since(sent).Round(time.Millisecond))

	// Notifications reach a session in the order they were sent, so once
	// a's listener has b's marker, it has had its own message too.
	b.Invalidate("marker")
	eventually(t, "the sender receives the other's marker", func() bool { return recA.count("marker") == 1 })
	if n := recA.count("a7"); n != 1 {
		t.Errorf("the sender invalidated a7 %d times; want once, its own message skipped", n)
	}
	if got := recOther.keys(); len(got) > 0 {
		t.Errorf("a site in another schema received %v; channels must be per site", got)
	}
}

// TestBroadcast_batchesABurstAndSplitsLargeOnes sends a burst of calls,
// which go out in a few messages (the first at once, the rest gathered
// while it is sent), and a batch too large for one payload,
// which goes out in several that PostgreSQL accepts, or as "everything"
// when even that would be too many.
func TestBroadcast_batchesABurstAndSplitsLargeOnes(t *testing.T) {
	dsn := postgresDSN(t)
	obs := observe(t, dsn)
	a, _ := start(t, Options{DSN: dsn})
	_, recB := start(t, Options{DSN: dsn})

	for i := range 40 {
		a.Invalidate(cache.ArticleKey(int64(i)), cache.KeyHome)
	}
	eventually(t, "the burst arrives", func() bool { return recB.count("a39") == 1 })
	// The observer listens on a connection of its own, which may be told
	// a moment after b: wait until it has seen as many messages as b.
	eventually(t, "the observer sees the burst", func() bool { return len(obs.got()) >= recB.count(cache.KeyHome) })
	burst := len(obs.got())
	if burst < 1 || burst >= 10 {
		t.Fatalf("a burst of 40 calls went out as %d messages, want a few: keys queued during a send go together", burst)
	}
	if n := recB.count(cache.KeyHome); n != burst {
		t.Errorf("home was received %d times in %d messages, want once in each", n, burst)
	}
	t.Logf("a burst of 40 calls went out as %d message(s)", burst)

	var big []string
	for i := range 1500 {
		big = append(big, fmt.Sprintf("p-a-rather-long-page-slug-%04d", i))
	}
	a.Invalidate(big...)
	eventually(t, "every key of the large batch arrives", func() bool {
		got := recB.keys()
		for _, k := range big {
			if !got[k] {
				return false
			}
		}
		return true
	})
	large := obs.got()[burst:]
	if len(large) < 2 {
		t.Errorf("a batch of %d keys went out in %d message(s); want it split", len(big), len(large))
	}
	for _, p := range large {
		if len(p) >= 8000 {
			t.Errorf("a payload of %d bytes was sent", len(p))
		}
	}

	var huge []string
	for i := range 9000 {
		huge = append(huge, fmt.Sprintf("a%d", 100_000+i))
	}
	a.Invalidate(huge...)
	eventually(t, "too large a batch arrives as everything", func() bool { return recB.count(cache.KeyAll) == 1 })
	if got := recB.keys(); got["a100000"] {
		t.Error("too large a batch was sent key by key; want cache.KeyAll alone")
	}
}
