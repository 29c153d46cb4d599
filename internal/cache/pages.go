package cache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Page is a rendered response kept in memory: the bytes as sent, the same
// bytes gzipped once when stored (never per request), validators, and the
// keys of the content it shows.
type Page struct {
	Status      int
	ContentType string
	Body        []byte
	Gzip        []byte
	ETag        string // strong validator of Body
	GzipETag    string // strong validator of Gzip
	Keys        []string
	Language    string // "" for a document that is the same in every language
	// LastModified, when set, is sent as Last-Modified and answers
	// If-Modified-Since; Expires, when set, is when the page stops being
	// true on its own (a time window it shows has moved), whatever changes.
	LastModified time.Time
	Expires      time.Time

	header pageHeader
	seq    uint64    // insertion number, to tell a stale FIFO slot from a live one
	stored time.Time // when Put kept it, for Pages' lifetime
}

// NewPage fills in a page's validators and compressed form.
func NewPage(status int, contentType string, body []byte, keys []string, lang string) *Page {
	sum := sha256.Sum256(body)
	tag := base64.RawURLEncoding.EncodeToString(sum[:12])
	p := &Page{
		Status: status, ContentType: contentType, Body: body, Keys: keys,
		Language: lang,
		ETag:     `"` + tag + `"`, GzipETag: `"` + tag + `-gz"`,
	}
	p.header = prebuilt(p)
	return p
}

// SetLastModified sets the time the page's content last changed, kept to
// the second as HTTP dates are.
func (p *Page) SetLastModified(t time.Time) {
	if t.IsZero() {
		return
	}
	p.LastModified = t.UTC().Truncate(time.Second)
	p.header.lastModified = []string{p.LastModified.Format(http.TimeFormat)}
}

// DropSurrogateKey stops the page from sending Surrogate-Key: the keys
// serve a cache in front that the site purges by key, and without one
// they are bytes and work on every response (a ninth header makes
// net/http's header map, cloned for each response, twice as large).
func (p *Page) DropSurrogateKey() { p.header.surrogate = nil }

// Expired reports whether the page has outlived its Expires at now.
func (p *Page) Expired(now time.Time) bool { return !p.Expires.IsZero() && !now.Before(p.Expires) }

// Compress stores the gzipped body; a cached page is compressed once and
// then served to every reader that accepts gzip.
func (p *Page) Compress() {
	if len(p.Body) < minGzip || p.Gzip != nil {
		return
	}
	p.Gzip = gzipBytes(p.Body, gzip.DefaultCompression)
	p.header.gzipLength = []string{strconv.Itoa(len(p.Gzip))}
}

const minGzip = 512

func gzipBytes(b []byte, level int) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, level)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

func (p *Page) size() int { return len(p.Body) + len(p.Gzip) + 256 }

// slot is a FIFO place: a key and the insertion it was made for.
type slot struct {
	key string
	seq uint64
}

// Pages is an in-memory cache of rendered pages, bounded in bytes. Entries
// are dropped by the keys they carry; when full, the oldest entries go.
type Pages struct {
	mu       sync.RWMutex
	entries  map[string]*Page
	byKey    map[string]map[string]struct{} // content key → cache keys
	fifo     []slot
	seq      uint64
	bytes    int
	maxBytes int
	gen      atomic.Uint64 // bumped by every invalidation
	lifetime atomic.Int64  // nanoseconds a page is served after Put; 0: until invalidated
	now      func() time.Time

	hits, misses atomic.Uint64
}

// NewPages makes a cache holding at most maxBytes of pages.
func NewPages(maxBytes int) *Pages {
	return &Pages{entries: map[string]*Page{}, byKey: map[string]map[string]struct{}{}, maxBytes: maxBytes, now: time.Now}
}

// SetLifetime bounds how long a page is served after it was stored, for
// a cache whose invalidations may be lost (another instance's message
// that never came). Past it the page is a miss, rendered afresh, unlike
// a page past its own Expires, which adapters may still serve while it
// is rebuilt: a page that may show a takedown undone must not be served
// at all. Zero keeps pages until they are invalidated.
func (c *Pages) SetLifetime(d time.Duration) { c.lifetime.Store(int64(d)) }

// Get returns the cached page for key. On a miss it also returns the
// generation to pass to Put, so a page rendered while its content changed
// is not stored.
func (c *Pages) Get(key string) (*Page, uint64) {
	gen := c.gen.Load()
	c.mu.RLock()
	p := c.entries[key]
	c.mu.RUnlock()
	if life := time.Duration(c.lifetime.Load()); p != nil && life > 0 && c.now().Sub(p.stored) >= life {
		p = nil // replaced by the next Put
	}
	if p != nil {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return p, gen
}

// Last returns the page kept under key whatever its age, or nil: the last
// resort when nothing fresher can be made because the database is not
// answering. Nothing can change while it does not answer, so a kept page
// is as true as any (an invalidation still drops it at once).
func (c *Pages) Last(key string) *Page {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.entries[key]
}

// Put stores p under key unless an invalidation happened since gen.
func (c *Pages) Put(key string, p *Page, gen uint64) {
	if p.size() > c.maxBytes/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != gen {
		return
	}
	c.removeLocked(key)
	c.seq++
	p.seq = c.seq
	p.stored = c.now()
	c.entries[key] = p
	c.fifo = append(c.fifo, slot{key, p.seq})
	c.bytes += p.size()
	for _, k := range p.Keys {
		set := c.byKey[k]
		if set == nil {
			set = map[string]struct{}{}
			c.byKey[k] = set
		}
		set[key] = struct{}{}
	}
	for c.bytes > c.maxBytes && len(c.fifo) > 0 {
		oldest := c.fifo[0]
		c.fifo = c.fifo[1:]
		if e, ok := c.entries[oldest.key]; ok && e.seq == oldest.seq {
			c.removeLocked(oldest.key)
		}
	}
	if len(c.fifo) > 4*len(c.entries)+64 { // compact slots of replaced or dropped pages
		live := c.fifo[:0]
		for _, sl := range c.fifo {
			if e, ok := c.entries[sl.key]; ok && e.seq == sl.seq {
				live = append(live, sl)
			}
		}
		c.fifo = live
	}
}

// Invalidate drops every page carrying any of keys; KeyAll drops all.
func (c *Pages) Invalidate(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	for _, k := range keys {
		if k == KeyAll {
			c.entries = map[string]*Page{}
			c.byKey = map[string]map[string]struct{}{}
			c.fifo, c.bytes = nil, 0
			return
		}
		for ck := range c.byKey[k] {
			c.removeLocked(ck)
		}
		delete(c.byKey, k)
	}
}

func (c *Pages) removeLocked(key string) {
	p, ok := c.entries[key]
	if !ok {
		return
	}
	delete(c.entries, key)
	c.bytes -= p.size()
	for _, k := range p.Keys {
		if set := c.byKey[k]; set != nil {
			delete(set, key)
			if len(set) == 0 {
				delete(c.byKey, k)
			}
		}
	}
}

// Stats reports entries, bytes, hits and misses.
func (c *Pages) Stats() (entries, bytes int, hits, misses uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries), c.bytes, c.hits.Load(), c.misses.Load()
}

// Lookup returns the page kept under the key lang + "|" + path, as Get
// does for a hit, without building the key as a string: the hot path of
// a cached page allocates nothing for it. A miss is not counted here;
// the request then goes the long way, through Get.
func (c *Pages) Lookup(lang, path string) *Page {
	var buf [256]byte
	if len(lang)+1+len(path) > len(buf) {
		return nil
	}
	b := append(append(append(buf[:0], lang...), '|'), path...)
	c.mu.RLock()
	p := c.entries[string(b)] // no allocation: the compiler looks the bytes up as they are
	c.mu.RUnlock()
	if p == nil {
		return nil
	}
	if life := time.Duration(c.lifetime.Load()); life > 0 && c.now().Sub(p.stored) >= life {
		return nil
	}
	c.hits.Add(1)
	return p
}
