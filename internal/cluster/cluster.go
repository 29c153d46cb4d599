// Package cluster makes several instances of the site on one PostgreSQL
// database behave as one paper. Each instance keeps rendered pages (and a
// few other things read from the database) in memory; a change made
// through one instance must drop them on every instance, or an article
// unpublished on one stays served by the others.
//
// A Broadcaster is the cache.Invalidator every content change goes
// through. It invalidates on this instance at once and sends the keys to
// the others with PostgreSQL's NOTIFY; each instance LISTENs on a
// connection of its own and invalidates the keys it receives. Like the
// store, this package speaks to PostgreSQL itself: LISTEN needs a session
// that stays open and is never handed to anyone else, which the store's
// pool cannot give.
//
// While the listener is away (and until it first listens) the instance
// cannot hear the others' changes, so it bypasses its page cache: every
// page is rendered from the database, a takedown made elsewhere shows at
// once. The kept copies are served only when the database does not answer
// (the site's stale-if-error, web.Handler.deliver): then nobody can change
// anything, unless the cut is between this instance and the database
// alone, which /readyz reports. Once listening again it empties the cache
// (whatever was missed) and uses it again.
//
// What is left is the time between a change's commit and its NOTIFY: one
// send, or two when another is in flight (see publish). An instance
// killed in between (kill -9, out of memory), or whose last send at
// shutdown fails (logged, with the number of keys), tells no one. The
// net is PageLifetime: on PostgreSQL no cached page is served more than
// 60 s after it was stored, and one past it is rendered afresh rather
// than served while rebuilt. So after such a crash other instances may
// serve the old page, a takedown included, for at most 60 s. Scheduled
// stories do not depend on it: every instance's scheduler wakes for one,
// and those that lose the race to publish it drop its pages themselves.
//
// What each instance keeps in memory from the database, and how it stays
// true (audited; keep this list current when adding one):
//
//   - the page cache (web.Handler's cache.Pages) and the navigation memo
//     (settings, sections, static pages): dropped by key through
//     web.Handler.Invalidate, here and, by broadcast, everywhere; bypassed
//     while the listener is away; pages live at most PageLifetime;
//   - the comment rules (comment.Service: comment settings, banned words,
//     the Standards Board Policy, the site settings): a change calls
//     Forget, which drops them here and broadcasts comment.RulesKey; every
//     instance also reads them again after two seconds regardless;
//   - the scheduler's idea of when the next story is due: every article
//     change, here or elsewhere, wakes it to ask the database again.
//
// Kept in memory but not copies of the database, so never stale: the
// article pop-up's markup (web.Handler.popups: templates and interface
// strings, embedded), pages being rebuilt (markers, not content), the
// dictionary (WordNet, embedded) and its word ranks, the interface
// strings and language matches (embedded), prepared statements and
// rebound SQL, the OpenID providers' discovery (configuration, not
// content) and their health, the failed-login counts per address (a
// second guard; the email lockout is in the database), and article views
// counted before they are written. Glossary entries, staff and reader
// sessions, tokens and the email lockout are read from the database on
// every use, so every instance sees a change at once.
package cluster

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"broadsheet/internal/cache"
)

// Defaults for Options.
const (
	// DefaultGrace is how long the listener may be away before /readyz
	// takes the instance out of service; see Ready.
	DefaultGrace = 5 * time.Second
	// PageLifetime bounds how long an instance on PostgreSQL serves a
	// cached page. Invalidations normally drop pages at once; this is the
	// net for one that never comes: a change is committed, then its
	// NOTIFY sent, and an instance killed in between (kill -9, out of
	// memory) or whose last send at shutdown fails tells no one. Without
	// it the other instances would serve the old page, a takedown
	// included, for as long as they run. A page past it is rendered
	// afresh, never served meanwhile (cache.Pages.SetLifetime). A minute
	// costs a busy page one render a minute per instance.
	PageLifetime = 60 * time.Second
	// DefaultAppName is the listening session's application_name, for an
	// operator reading pg_stat_activity. The sending session's name adds
	// "-notify".
	DefaultAppName = "broadsheet-listener"
)

// Options configure a Broadcaster.
type Options struct {
	// DSN is the site's database. When it is not PostgreSQL (a SQLite
	// site is served by one instance), the Broadcaster only invalidates
	// locally.
	DSN    string
	Logger *slog.Logger  // nil: no logging
	Grace  time.Duration // how long the listener may be away and /readyz still pass; 0: DefaultGrace
	// AppName is the listening session's application_name.
	AppName string
}

// Broadcaster is the cache.Invalidator of an instance that shares its
// database with others. It is safe for concurrent use.
type Broadcaster struct {
	local  []cache.Invalidator
	id     string          // this instance, in every message it sends
	pg     *pgx.ConnConfig // nil: no other instances to tell
	logger *slog.Logger
	grace  time.Duration
	app    string

	kick    chan struct{} // a key is waiting to be sent
	mu      sync.Mutex
	pending map[string]struct{}

	stateMu      sync.Mutex
	listening    bool
	everListened bool
	since        time.Time // when listening started or stopped
}

// A pageKeeper is a local part that keeps rendered pages (web.Handler):
// the Broadcaster bounds how long it keeps them, and has it bypass them
// while the listener is away.
type pageKeeper interface {
	// BypassCache(true) serves every page from the database, neither
	// reading nor storing copies; false trusts the cache again.
	BypassCache(on bool)
	// SetPageLifetime bounds how long a page is served once stored.
	SetPageLifetime(d time.Duration)
}

// New makes a Broadcaster that invalidates local (the reader site, and
// whatever else keeps copies of the database) here and, once Run is
// running, on every other instance of the site.
func New(opts Options, local ...cache.Invalidator) (*Broadcaster, error) {
	b := &Broadcaster{
		local: local, id: newID(), logger: opts.Logger, grace: opts.Grace, app: opts.AppName,
		kick: make(chan struct{}, 1), pending: map[string]struct{}{}, since: time.Now(),
	}
	if b.logger == nil {
		b.logger = slog.New(slog.DiscardHandler)
	}
	if b.grace <= 0 {
		b.grace = DefaultGrace
	}
	if b.app == "" {
		b.app = DefaultAppName
	}
	if isPostgres(opts.DSN) {
		cfg, err := pgx.ParseConfig(opts.DSN)
		if err != nil {
			return nil, fmt.Errorf("cluster: database address: %w", err)
		}
		if cfg.ConnectTimeout == 0 {
			cfg.ConnectTimeout = connectTimeout
		}
		b.pg = cfg
		for _, l := range local {
			if k, ok := l.(pageKeeper); ok {
				k.SetPageLifetime(PageLifetime)
			}
		}
	}
	return b, nil
}

// Invalidate drops the pages and copies depending on keys here at once,
// and queues the keys for the other instances.
func (b *Broadcaster) Invalidate(keys ...string) {
	b.invalidateLocal(keys...)
	if b.pg == nil || len(keys) == 0 {
		return
	}
	b.queue(keys)
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

// queue adds keys to those waiting to be sent, bounded.
func (b *Broadcaster) queue(keys []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		b.pending[k] = struct{}{}
	}
	if len(b.pending) > maxPending {
		b.pending = map[string]struct{}{cache.KeyAll: {}}
	}
}

func (b *Broadcaster) invalidateLocal(keys ...string) {
	for _, l := range b.local {
		l.Invalidate(keys...)
	}
}

// bypassPages has every local page keeper bypass its cache (on) or trust
// it again.
func (b *Broadcaster) bypassPages(on bool) {
	for _, l := range b.local {
		if k, ok := l.(pageKeeper); ok {
			k.BypassCache(on)
		}
	}
}

func newID() string {
	p := make([]byte, 8)
	_, _ = rand.Read(p)
	return hex.EncodeToString(p)
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
