package purge

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/cache"
)

// fakeCache records the purge requests it receives and fails the first
// failFirst of them with 503.
type fakeCache struct {
	mu        sync.Mutex
	requests  []string // the Xkey-Purge header of each request
	times     []time.Time
	methods   []string
	failFirst int
}

func (f *fakeCache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Header.Get(Header))
	f.times = append(f.times, time.Now())
	f.methods = append(f.methods, r.Method)
	if len(f.requests) <= f.failFirst {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	_, _ = io.WriteString(w, "Purged\n")
}

// sentAt is when each request came, of those whose keys include key.
func (f *fakeCache) sentAt(key string) []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	var at []time.Time
	for i, keys := range f.requests {
		for _, k := range strings.Fields(keys) {
			if k == key {
				at = append(at, f.times[i])
			}
		}
	}
	return at
}

func (f *fakeCache) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

// start runs a client against h; unless opt says otherwise, it sends each
// purge once (the second sending has its own test).
func start(t *testing.T, h http.Handler, opt Options) *Client {
	t.Helper()
	if opt.Again == 0 {
		opt.Again = -1
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := New(srv.URL+"/", slog.New(slog.NewTextHandler(io.Discard, nil)), opt)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return c
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestClient_gathersKeysOfOneMomentIntoOneRequest(t *testing.T) {
	f := &fakeCache{}
	c := start(t, f, Options{Window: 200 * time.Millisecond})
	c.Invalidate("a1", "s3")
	c.Invalidate("home", "a1") // a1 again: sent once
	c.Invalidate("nav")
	waitUntil(t, "one purge", func() bool { return len(f.seen()) == 1 })
	if got := f.seen()[0]; got != "a1 s3 home nav" {
		t.Errorf("keys sent: %q, want %q", got, "a1 s3 home nav")
	}
	f.mu.Lock()
	if f.methods[0] != "PURGE" {
		t.Errorf("method %q, want PURGE", f.methods[0])
	}
	f.mu.Unlock()
	time.Sleep(300 * time.Millisecond)
	if n := len(f.seen()); n != 1 {
		t.Errorf("%d requests for one moment's keys, want 1", n)
	}
	if st := c.Status(); !strings.HasPrefix(st, "purge: ok") {
		t.Errorf("status %q, want ok", st)
	}
}

func TestClient_splitsLongKeyListsWithinTheHeaderBound(t *testing.T) {
	f := &fakeCache{}
	c := start(t, f, Options{Window: 100 * time.Millisecond, MaxHeader: 64})
	var keys []string
	for i := range 100 {
		keys = append(keys, cache.ArticleKey(int64(1000+i)))
	}
	c.Invalidate(keys...)
	waitUntil(t, "every key sent", func() bool {
		n := 0
		for _, h := range f.seen() {
			n += len(strings.Fields(h))
		}
		return n == len(keys)
	})
	var got []string
	for _, h := range f.seen() {
		if len(h) > 64 {
			t.Errorf("a request's keys are %d bytes, over the bound of 64: %q", len(h), h)
		}
		got = append(got, strings.Fields(h)...)
	}
	if strings.Join(got, " ") != strings.Join(keys, " ") {
		t.Errorf("keys sent out of order or changed:\n%v\nwant\n%v", got, keys)
	}
	if len(f.seen()) < 100*6/64 {
		t.Errorf("%d requests for 600 bytes of keys in 64-byte requests", len(f.seen()))
	}
}

func TestClient_retriesWithBackoffThenSucceeds(t *testing.T) {
	f := &fakeCache{failFirst: 2}
	c := start(t, f, Options{Window: time.Millisecond, Backoff: 10 * time.Millisecond, Attempts: 4})
	c.Invalidate("a7")
	waitUntil(t, "three tries", func() bool { return len(f.seen()) == 3 })
	for i, h := range f.seen() {
		if h != "a7" {
			t.Errorf("try %d sent %q, want a7", i+1, h)
		}
	}
	waitUntil(t, "ok status", func() bool { return strings.HasPrefix(c.Status(), "purge: ok (1 sent") })
}

func TestClient_reportsAFailedRoundAndSendsItsKeysLater(t *testing.T) {
	f := &fakeCache{failFirst: 2}
	c := start(t, f, Options{Window: time.Millisecond, Backoff: time.Millisecond, Attempts: 2, RetryEvery: 300 * time.Millisecond})
	c.Invalidate("a9", "s2")
	waitUntil(t, "the failure reported", func() bool { return strings.Contains(c.Status(), "last failure at") })
	st := c.Status()
	if !strings.Contains(st, "503") || !strings.HasSuffix(st, "; 2 pending") {
		t.Errorf("status %q, want the 503 and 2 keys pending", st)
	}
	waitUntil(t, "the next round", func() bool { return len(f.seen()) == 3 })
	if got := f.seen()[2]; got != "a9 s2" {
		t.Errorf("next round sent %q, want the failed keys %q", got, "a9 s2")
	}
	waitUntil(t, "ok status", func() bool { return strings.HasPrefix(c.Status(), "purge: ok") })
}

func TestClient_everythingAndSettingsPurgeTheKeyEveryObjectCarries(t *testing.T) {
	for _, key := range []string{cache.KeyAll, cache.KeySettings} {
		f := &fakeCache{}
		c := start(t, f, Options{Window: 50 * time.Millisecond})
		c.Invalidate("a1", "s1")
		c.Invalidate(key)
		c.Invalidate("a2") // already covered
		waitUntil(t, "a purge", func() bool { return len(f.seen()) == 1 })
		if got := f.seen()[0]; got != AllKey {
			t.Errorf("after %q: sent %q, want only %q", key, got, AllKey)
		}
	}
}

func TestClient_aFullQueueCollapsesToOnePurgeOfEverything(t *testing.T) {
	block := make(chan struct{})
	f := &fakeCache{}
	var first sync.Once
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first.Do(func() { <-block }) // the cache hangs while keys pile up
		f.ServeHTTP(w, r)
	})
	c := start(t, h, Options{Window: time.Millisecond, MaxPending: 50})
	c.Invalidate("a0")
	time.Sleep(50 * time.Millisecond) // the first request is now waiting on the cache
	for i := range 200 {
		c.Invalidate(cache.ArticleKey(int64(i + 1)))
	}
	if st := c.Status(); !strings.HasSuffix(st, "1 pending)") {
		t.Errorf("status with a full queue: %q, want one purge of everything pending", st)
	}
	close(block)
	waitUntil(t, "two purges", func() bool { return len(f.seen()) == 2 })
	if got := f.seen(); got[0] != "a0" || got[1] != AllKey {
		t.Errorf("sent %q, want a0 then %q", got, AllKey)
	}
}

func TestClient_invalidateDoesNotWaitOnTheCache(t *testing.T) {
	hang := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang })
	c := start(t, h, Options{Window: time.Millisecond, Timeout: time.Minute})
	t.Cleanup(func() { close(hang) }) // before the server closes, which waits for its handlers
	done := make(chan struct{})
	go func() {
		for i := range 1000 {
			c.Invalidate(cache.ArticleKey(int64(i)))
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Invalidate waited on a cache that does not answer")
	}
}

func TestChunks_keepsEveryKeyInOrder(t *testing.T) {
	got := chunks([]string{"aaaa", "bb", "cccccccccc", "d"}, 7)
	want := [][]string{{"aaaa", "bb"}, {"cccccccccc"}, {"d"}}
	if len(got) != len(want) {
		t.Fatalf("chunks = %q, want %q", got, want)
	}
	for i := range want {
		if strings.Join(got[i], " ") != strings.Join(want[i], " ") {
			t.Errorf("chunk %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestClient_sendsWhatIsWaitingWhenItStops(t *testing.T) {
	f := &fakeCache{}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c := New(srv.URL+"/", slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Window: time.Hour, Again: -1})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	c.Invalidate("a5")
	time.Sleep(20 * time.Millisecond) // Run is now gathering, for an hour
	cancel()
	<-done
	if got := f.seen(); len(got) != 1 || got[0] != "a5" {
		t.Errorf("sent on stopping: %q, want a5", got)
	}
}

func TestClient_keepsThePasswordOfItsAddressOutOfItsStatus(t *testing.T) {
	c := New("http://purger:s3cret@127.0.0.1:1/", slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Attempts: 1})
	c.Invalidate("a1")
	_, _ = c.flush(context.Background())
	if st := c.Status(); strings.Contains(st, "s3cret") || !strings.Contains(st, "last failure") {
		t.Errorf("status %q: want the failure without the password", st)
	}
}

func TestClient_sendsEveryPurgeASecondTimeLater(t *testing.T) {
	f := &fakeCache{}
	c := start(t, f, Options{Window: time.Millisecond, Again: 300 * time.Millisecond})
	c.Invalidate("a3", "s1")
	waitUntil(t, "the first purge", func() bool { return len(f.seen()) == 1 })
	waitUntil(t, "the purge sent again", func() bool { return len(f.seen()) == 2 })
	got := f.seen()
	if got[0] != "a3 s1" || got[1] != "a3 s1" {
		t.Errorf("sent %q, want [a3 s1] twice", got)
	}
	at := f.sentAt("a3")
	if gap := at[1].Sub(at[0]); gap < 250*time.Millisecond {
		t.Errorf("sent again %s after the first, want about 300 ms", gap)
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(f.seen()); n != 2 {
		t.Errorf("%d purges, want 2: a purge sent again is not sent a third time", n)
	}
}

// A key purged just before the second sending of an earlier one is due
// must not ride along with it: it is sent again a full Again after its own
// first purge, when a fetch under way at its change has ended.
func TestClient_sendsEachPurgeAgainAfterItsOwnDelay(t *testing.T) {
	const again = 400 * time.Millisecond
	f := &fakeCache{}
	c := start(t, f, Options{Window: time.Millisecond, Again: again})
	c.Invalidate("a1")
	waitUntil(t, "the first purge of a1", func() bool { return len(f.sentAt("a1")) == 1 })
	time.Sleep(again - 100*time.Millisecond)
	c.Invalidate("a2")
	waitUntil(t, "a2 purged twice", func() bool { return len(f.sentAt("a2")) == 2 })
	waitUntil(t, "a1 purged twice", func() bool { return len(f.sentAt("a1")) == 2 })
	for _, key := range []string{"a1", "a2"} {
		at := f.sentAt(key)
		if gap := at[1].Sub(at[0]); gap < again-50*time.Millisecond {
			t.Errorf("%s sent again %s after its first purge, want at least about %s (requests %q)", key, gap, again, f.seen())
		}
	}
}

// A shutdown right after a change still sends its purge a second time,
// once due.
func TestClient_sendsThePurgesDueAgainWhenItStops(t *testing.T) {
	const again = 300 * time.Millisecond
	f := &fakeCache{}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c := New(srv.URL+"/", slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Window: time.Millisecond, Again: again})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	c.Invalidate("a7")
	waitUntil(t, "the first purge", func() bool { return len(f.sentAt("a7")) == 1 })
	c.Invalidate("a8") // waiting when Run stops
	cancel()
	<-done
	for _, key := range []string{"a7", "a8"} {
		at := f.sentAt(key)
		if len(at) != 2 {
			t.Errorf("%s sent %d times by the time Run returned, want 2 (requests %q)", key, len(at), f.seen())
			continue
		}
		if gap := at[1].Sub(at[0]); gap < again-50*time.Millisecond {
			t.Errorf("%s sent again %s after its first purge, want about %s", key, gap, again)
		}
	}
}

func TestAgainQueue_boundedByCollapsingToEverything(t *testing.T) {
	var q againQueue
	now := time.Now()
	q.add([]string{"a1", "a2"}, now, 3)
	q.add([]string{"a3", "a4"}, now.Add(time.Second), 3)
	if last, _ := q.lastDue(); !last.Equal(now.Add(time.Second)) {
		t.Errorf("due %s, want the latest", last)
	}
	if got := q.takeDue(now.Add(time.Second)); len(got) != 1 || got[0] != AllKey {
		t.Errorf("over the bound: %q, want one purge of everything", got)
	}
}
