package cluster

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"broadsheet/internal/cache"
)

// proxy stands between an instance and the database, so that a test can
// cut the network between them and mend it.
type proxy struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	refuse bool
	conns  []net.Conn
}

// through returns dsn going through a new proxy, and the proxy.
func through(t *testing.T, dsn string) (string, *proxy) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: u.Host}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.cut(true) })
	u.Host = ln.Addr().String()
	return u.String(), p
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		refuse := p.refuse
		p.mu.Unlock()
		if refuse {
			c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go func() { _, _ = io.Copy(s, c); s.Close() }()
		go func() { _, _ = io.Copy(c, s); c.Close() }()
	}
}

// cut closes every connection through the proxy, and refuses new ones
// while refuse holds.
func (p *proxy) cut(refuse bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = refuse
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) mend() {
	p.mu.Lock()
	p.refuse = false
	p.mu.Unlock()
}

// TestListener_gapIsReportedAndEmptiesTheCacheOnReconnect cuts an
// instance off the database: as soon as it notices, it bypasses its cache
// (keeping the copies only for when the database itself does not answer),
// so that a change it misses meanwhile is not served from a copy;
// /readyz reports the gap and, past the grace, takes it out of service;
// once back it empties its cache (whatever was missed), trusts it again
// and hears changes again.
func TestListener_gapIsReportedAndEmptiesTheCacheOnReconnect(t *testing.T) {
	dsn := postgresDSN(t)
	cutDSN, px := through(t, dsn)
	a, _ := start(t, Options{DSN: dsn})
	b, recB := start(t, Options{DSN: cutDSN, Grace: 500 * time.Millisecond})

	n0 := recB.count(cache.KeyAll) // the emptying on first listening
	px.cut(true)
	eventually(t, "the instance notices it is cut off", func() bool { return !listening(b) })
	line, ok := b.Ready(time.Now())
	if !strings.Contains(line, "listener disconnected since") {
		t.Errorf("readiness line while cut off = %q, want the gap reported", line)
	}
	eventually(t, "cut off, the instance bypasses its cache", recB.bypassed)
	a.Invalidate(cache.ArticleKey(5)) // missed by b
	eventually(t, "past the grace the instance is not ready", func() bool { _, ok = b.Ready(time.Now()); return !ok })
	if recB.count(cache.KeyAll) != n0 || !recB.bypassed() {
		t.Fatalf("failed reconnections emptied the cache %d times in all or stopped bypassing it (%v)", recB.count(cache.KeyAll), recB.bypassed())
	}

	px.mend()
	eventually(t, "the instance reconnects, empties its cache and trusts it again", func() bool {
		return recB.count(cache.KeyAll) == n0+1 && !recB.bypassed()
	})
	eventually(t, "the instance is ready again", func() bool { _, ok := b.Ready(time.Now()); return ok && listening(b) })
	if recB.count("a5") != 0 {
		t.Error("a message sent while cut off arrived; the test does not cut anything")
	}
	a.Invalidate(cache.ArticleKey(6))
	eventually(t, "the instance hears changes again", func() bool { return recB.count("a6") == 1 })
}

// TestListener_terminatedSessionReconnects ends the listening session as
// an operator would, by its application_name, and checks the instance
// comes back listening with its cache emptied.
func TestListener_terminatedSessionReconnects(t *testing.T) {
	dsn := postgresDSN(t)
	app := "broadsheet-listener-" + newID()
	a, _ := start(t, Options{DSN: dsn})
	b, recB := start(t, Options{DSN: dsn, AppName: app})

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer closeConn(conn)
	n0 := recB.count(cache.KeyAll)
	var ended int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = $1) t`, app).Scan(&ended); err != nil || ended != 1 {
		t.Fatalf("ended %d listening sessions named %s, %v; want 1", ended, app, err)
	}
	// Bypassed when the session is found gone, emptied once listening.
	eventually(t, "the instance reconnects and empties its cache", func() bool {
		return recB.count(cache.KeyAll) == n0+1 && listening(b) && !recB.bypassed()
	})
	a.Invalidate(cache.ArticleKey(9))
	eventually(t, "the instance hears changes again", func() bool { return recB.count("a9") == 1 })
}

// TestBroadcaster_sqliteOnlyInvalidatesLocally: a SQLite site has no
// other instances; nothing is queued and /readyz says nothing.
func TestBroadcaster_sqliteOnlyInvalidatesLocally(t *testing.T) {
	rec := &recorder{}
	b, err := New(Options{DSN: "/tmp/site.db"}, rec)
	if err != nil {
		t.Fatal(err)
	}
	b.Invalidate(cache.KeyHome)
	if rec.count(cache.KeyHome) != 1 {
		t.Error("not invalidated locally")
	}
	if keys := b.take(); len(keys) != 0 {
		t.Errorf("queued %v for other instances of a SQLite site", keys)
	}
	if line, ok := b.Ready(time.Now()); line != "" || !ok {
		t.Errorf("Ready = %q, %v; want nothing to say, ready", line, ok)
	}
	done := make(chan struct{})
	go func() { b.Run(context.Background()); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Error("Run did not return at once for a SQLite site")
	}
	if rec.bypassed() || rec.lifetime != 0 {
		t.Errorf("a SQLite site's cache was bypassed (%v) or given a lifetime (%s); it misses nothing", rec.bypassed(), rec.lifetime)
	}
}

// TestBroadcaster_postgresPagesHaveALifetime: on PostgreSQL a message can
// be lost (the sender killed between commit and NOTIFY), so the pages
// kept get a lifetime; and until the listener first listens the cache is
// bypassed.
func TestBroadcaster_postgresPagesHaveALifetime(t *testing.T) {
	rec := &recorder{}
	b, err := New(Options{DSN: "postgres://nobody@127.0.0.1:1/none?connect_timeout=1"}, rec)
	if err != nil {
		t.Fatal(err)
	}
	if rec.lifetime != PageLifetime {
		t.Errorf("page lifetime on PostgreSQL = %s, want %s", rec.lifetime, PageLifetime)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	eventually(t, "the cache is bypassed before the listener first listens", rec.bypassed)
}

// logBuffer is a slog handler's output, safe to read while written.
type logBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// TestPublish_failedShutdownFlushIsLogged: keys that cannot be sent when
// the instance stops are lost to the others; that is logged, with how
// many, not dropped in silence.
func TestPublish_failedShutdownFlushIsLogged(t *testing.T) {
	var out logBuffer
	b, err := New(Options{DSN: "postgres://nobody@127.0.0.1:1/none?connect_timeout=1",
		Logger: slog.New(slog.NewTextHandler(&out, nil))}, &recorder{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // stopping: publish only flushes
	b.Invalidate(cache.ArticleKey(1), cache.KeyHome, cache.SectionKey(2))
	b.publish(ctx)
	if got := out.String(); !strings.Contains(got, "not sent to the other instances at shutdown") || !strings.Contains(got, "keys=3") {
		t.Errorf("log after a failed shutdown flush:\n%s\nwant the failure with keys=3", got)
	}
}

// TestPublish_keepsKeysUntilTheyAreSent: keys invalidated while the
// instance cannot reach the database reach the others once it can.
func TestPublish_keepsKeysUntilTheyAreSent(t *testing.T) {
	dsn := postgresDSN(t)
	cutDSN, px := through(t, dsn)
	a, _ := start(t, Options{DSN: cutDSN})
	_, recB := start(t, Options{DSN: dsn})

	a.Invalidate(cache.ArticleKey(1)) // opens the sending session
	eventually(t, "the first key arrives", func() bool { return recB.count("a1") == 1 })
	px.cut(true)
	a.Invalidate(cache.ArticleKey(2))
	time.Sleep(300 * time.Millisecond) // a few failed sends
	if recB.count("a2") != 0 {
		t.Fatal("a key arrived through a cut connection; the test cuts nothing")
	}
	px.mend()
	eventually(t, "the key kept while cut off arrives", func() bool { return recB.count("a2") == 1 })
}
