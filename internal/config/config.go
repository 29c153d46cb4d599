// Package config reads Broadsheet's settings from command-line flags, each
// of which can also be set by a BROADSHEET_* environment variable. There
// is no global config: run() builds one Config and passes it down.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/auth/social"
)

// DefaultImageMemoryMB is the default --image-memory-mb: media's
// default budget, which admits the largest common photos one or two at a
// time.
const DefaultImageMemoryMB = 256

// DefaultImportMaxMB is the default --import-max-mb: the largest export
// file the newsroom's import page takes, 2 GiB.
const DefaultImportMaxMB = 2048

// Config is the settings of one process.
type Config struct {
	Addr      string                  // listen address
	DB        string                  // SQLite file path or postgres:// URL
	DataDir   string                  // folder for the SQLite file and media
	Media     string                  // --media: a folder, or s3://bucket/prefix
	MediaDir  string                  // folder of images served at /media/; "" when MediaS3 is set
	MediaS3   *S3                     // the bucket of --media s3://…, set by Validate
	BaseURL   string                  // public origin, for canonical URLs
	Demo      bool                    // load the demo content on start
	PageCache bool                    // keep rendered pages in memory
	CacheMB   int                     // page cache bound, in MiB
	LogFormat string                  // json or text
	LogLevel  string                  // debug, info, warn or error
	AccessLog bool                    // log every request
	Logins    []social.ProviderConfig // social login providers, from BROADSHEET_AUTH_* variables

	// DBTimeout bounds the database work of one request: past it the
	// request is answered 503 ("the database is not answering") instead of
	// waiting for a database that has stopped answering.
	DBTimeout time.Duration
	// DBMaxConns bounds the connections to the database; 0 lets the store
	// pick by engine (store.defaultPoolSize).
	DBMaxConns int
	// ImageMemoryMB bounds the memory of the image uploads decoded and
	// resized at once, in MiB; an image needing more alone is refused.
	ImageMemoryMB int
	// ImageWait is how long an upload waits for that memory before it is
	// refused as busy; 0 means media.DefaultMaxWait. Only tests set it;
	// it has no flag.
	ImageWait time.Duration
	// ImportMaxMB bounds an export file uploaded on the newsroom's import
	// page, in MiB; a larger one is refused with 413 (the command line's
	// "broadsheet import" has no limit).
	ImportMaxMB int

	// SchedulerEvery is the scheduler's safety round: it also wakes at
	// each due time and at each change of schedule.
	SchedulerEvery time.Duration
	// ViewsEvery is how often counted article views are written to the
	// database; 0 means every 10 seconds. It has no flag.
	ViewsEvery time.Duration
	// WebhooksAllowPrivate lets webhooks reach loopback, private and
	// link-local addresses: for tests and closed networks only, since it
	// lets whoever registers a hook make this server call its neighbours.
	WebhooksAllowPrivate bool
	// WebhooksEvery is how often the webhook sender looks for due
	// deliveries besides being woken by a change here; 0 means every 5
	// seconds. It has no flag.
	WebhooksEvery time.Duration
	// Clock is the time the site runs on: nil for the wall clock. Only
	// tests set it, to move time forward for the scheduler; it has no
	// flag.
	Clock func() time.Time

	TrustedProxies string         // comma-separated addresses or CIDR ranges of our reverse proxies
	PurgeURL       string         // HTTP cache to purge by surrogate key on every change; "" for none
	Proxies        []netip.Prefix // TrustedProxies, parsed by Validate

	envErrs []error // malformed BROADSHEET_* values, reported by Validate
	s3Env   *S3     // the BROADSHEET_S3_* variables, for Validate (a pointer: %+v of a Config prints its address, not the secret)
}

// DefaultDBTimeout is the default of --db-timeout. Pages take
// milliseconds and the heaviest newsroom work a few seconds, so ten
// seconds is only ever reached by a database in trouble.
const DefaultDBTimeout = 10 * time.Second

// MaxDBTimeout bounds --db-timeout below the HTTP server's 60 s write
// timeout, leaving time to write the 503 once the deadline passes.
const MaxDBTimeout = 50 * time.Second

// MaxDBMaxConns bounds --db-max-conns: beyond it the connections cost the
// database server more memory than any gain in parallel work.
const MaxDBMaxConns = 1000

// Register defines the common flags on fs with defaults taken from the
// environment, and returns the Config they fill in when fs is parsed.
// Call Validate after parsing.
func Register(fs *flag.FlagSet, getenv func(string) string) *Config {
	c := &Config{}
	env := func(name, def string) string {
		if v := getenv("BROADSHEET_" + name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("ADDR", "127.0.0.1:8080"), "listen address (BROADSHEET_ADDR)")
	fs.StringVar(&c.DataDir, "data", env("DATA", "data"), "data folder for the SQLite file and media (BROADSHEET_DATA)")
	fs.StringVar(&c.DB, "db", env("DB", ""), "SQLite file path or postgres:// URL; default DATA/broadsheet.db (BROADSHEET_DB)")
	fs.StringVar(&c.Media, "media", env("MEDIA", ""), "where images served at /media/ are kept: a folder, or s3://bucket/prefix with BROADSHEET_S3_ENDPOINT, _ACCESS_KEY, _SECRET_KEY and _REGION; default DATA/media (BROADSHEET_MEDIA)")
	fs.StringVar(&c.BaseURL, "base-url", env("BASE_URL", ""), "public origin such as https://paper.example; default http://ADDR (BROADSHEET_BASE_URL)")
	fs.BoolVar(&c.Demo, "demo", c.envBool(getenv, "DEMO", false), "load the demo content once (BROADSHEET_DEMO)")
	fs.BoolVar(&c.PageCache, "page-cache", c.envBool(getenv, "PAGE_CACHE", true), "keep rendered pages in memory (BROADSHEET_PAGE_CACHE)")
	fs.IntVar(&c.CacheMB, "cache-mb", c.envInt(getenv, "CACHE_MB", 64), "page cache size in MiB (BROADSHEET_CACHE_MB)")
	fs.IntVar(&c.ImageMemoryMB, "image-memory-mb", c.envInt(getenv, "IMAGE_MEMORY_MB", DefaultImageMemoryMB), "memory for decoding and resizing uploaded images at once, in MiB; an image needing more is refused (BROADSHEET_IMAGE_MEMORY_MB)")
	fs.IntVar(&c.ImportMaxMB, "import-max-mb", c.envInt(getenv, "IMPORT_MAX_MB", DefaultImportMaxMB), "largest export file the newsroom's import page takes, in MiB (BROADSHEET_IMPORT_MAX_MB)")
	fs.StringVar(&c.LogFormat, "log-format", env("LOG_FORMAT", "json"), "log format: json or text (BROADSHEET_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", "info"), "log level: debug, info, warn, error (BROADSHEET_LOG_LEVEL)")
	fs.DurationVar(&c.SchedulerEvery, "scheduler-every", c.envDuration(getenv, "SCHEDULER_EVERY", 10*time.Second), "how often the scheduler checks for due articles besides waking at each due time (BROADSHEET_SCHEDULER_EVERY)")
	fs.DurationVar(&c.DBTimeout, "db-timeout", c.envDuration(getenv, "DB_TIMEOUT", DefaultDBTimeout), "how long a request waits for the database before answering 503 (BROADSHEET_DB_TIMEOUT)")
	fs.IntVar(&c.DBMaxConns, "db-max-conns", c.envInt(getenv, "DB_MAX_CONNS", 0), "most connections open to the database at once; 0: twice the cores for SQLite, four times for PostgreSQL within half of what the server allows (BROADSHEET_DB_MAX_CONNS)")
	fs.BoolVar(&c.AccessLog, "access-log", c.envBool(getenv, "ACCESS_LOG", true), "log every request (BROADSHEET_ACCESS_LOG)")
	fs.StringVar(&c.PurgeURL, "purge-url", env("PURGE_URL", ""), "HTTP cache in front of the site (Varnish) to purge on every change, such as http://127.0.0.1:6081/ (BROADSHEET_PURGE_URL)")
	fs.BoolVar(&c.WebhooksAllowPrivate, "webhooks-allow-private", c.envBool(getenv, "WEBHOOKS_ALLOW_PRIVATE", false), "let webhooks reach loopback, private and link-local addresses, for tests and closed networks (BROADSHEET_WEBHOOKS_ALLOW_PRIVATE)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("TRUSTED_PROXIES", ""), "reverse proxies whose X-Forwarded-For is believed, as addresses or CIDR ranges, comma-separated (BROADSHEET_TRUSTED_PROXIES)")
	// The keys come from the environment only: a flag's value shows in
	// the process list.
	c.s3Env = &S3{Endpoint: getenv("BROADSHEET_S3_ENDPOINT"), AccessKey: getenv("BROADSHEET_S3_ACCESS_KEY"),
		SecretKey: getenv("BROADSHEET_S3_SECRET_KEY"), Region: getenv("BROADSHEET_S3_REGION")}
	logins, err := social.FromEnv(getenv)
	if err != nil {
		c.envErrs = append(c.envErrs, err)
	}
	c.Logins = logins
	return c
}

// envBool and envInt read typed defaults; a malformed value is recorded
// for Validate to report rather than silently replaced by the default.
func (c *Config) envBool(getenv func(string) string, name string, def bool) bool {
	v := getenv("BROADSHEET_" + name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("BROADSHEET_%s=%q: want true or false", name, v))
		return def
	}
	return b
}

func (c *Config) envInt(getenv func(string) string, name string, def int) int {
	v := getenv("BROADSHEET_" + name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("BROADSHEET_%s=%q: want a whole number", name, v))
		return def
	}
	return n
}

func (c *Config) envDuration(getenv func(string) string, name string, def time.Duration) time.Duration {
	v := getenv("BROADSHEET_" + name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("BROADSHEET_%s=%q: want a duration such as 10s", name, v))
		return def
	}
	return d
}

// Validate fills in derived defaults and checks every setting.
func (c *Config) Validate() error {
	errs := append([]error(nil), c.envErrs...)
	if c.DB == "" {
		c.DB = filepath.Join(c.DataDir, "broadsheet.db")
	}
	switch {
	case strings.HasPrefix(c.Media, "s3://"):
		s3, err := parseS3(c.Media, c.s3Env)
		if err != nil {
			errs = append(errs, err)
		}
		c.MediaS3, c.MediaDir = s3, ""
	case strings.Contains(c.Media, "://"):
		errs = append(errs, fmt.Errorf("--media %q: want a folder, or s3://bucket/prefix", c.Media))
	case c.Media != "":
		c.MediaDir = c.Media
	case c.MediaDir == "" && c.MediaS3 == nil:
		c.MediaDir = filepath.Join(c.DataDir, "media")
	}
	if c.SchedulerEvery == 0 {
		c.SchedulerEvery = 10 * time.Second
	}
	if c.SchedulerEvery < 10*time.Millisecond || c.SchedulerEvery > time.Hour {
		errs = append(errs, fmt.Errorf("--scheduler-every %s: want between 10ms and 1h", c.SchedulerEvery))
	}
	if c.DBTimeout == 0 {
		c.DBTimeout = DefaultDBTimeout
	}
	if c.DBTimeout < 10*time.Millisecond || c.DBTimeout > MaxDBTimeout {
		errs = append(errs, fmt.Errorf("--db-timeout %s: want between 10ms and %s", c.DBTimeout, MaxDBTimeout))
	}
	if c.DBMaxConns < 0 || c.DBMaxConns > MaxDBMaxConns {
		errs = append(errs, fmt.Errorf("--db-max-conns %d: want 1 to %d, or 0 for the default of the database engine", c.DBMaxConns, MaxDBMaxConns))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q: want host:port, such as 127.0.0.1:8080", c.Addr))
	}
	// An unset base URL is filled in from the bound address (OriginFor)
	// once the server listens, so that --addr :0 still gets a true one.
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if u, err := url.Parse(c.BaseURL); c.BaseURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "") {
		errs = append(errs, fmt.Errorf("--base-url %q: want an origin such as https://paper.example", c.BaseURL))
	}
	if u, err := url.Parse(c.PurgeURL); c.PurgeURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, fmt.Errorf("--purge-url %s: want the cache's address, such as http://127.0.0.1:6081/", redactedURL(u, err)))
	}
	c.Proxies = nil
	for _, part := range strings.Split(c.TrustedProxies, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		pfx, err := netip.ParsePrefix(part)
		if err != nil {
			addr, aerr := netip.ParseAddr(part)
			if aerr != nil {
				errs = append(errs, fmt.Errorf("--trusted-proxies: %q is neither an address nor a CIDR range", part))
				continue
			}
			pfx = netip.PrefixFrom(addr, addr.BitLen())
		}
		c.Proxies = append(c.Proxies, pfx.Masked())
	}
	if c.CacheMB < 1 || c.CacheMB > 64<<10 {
		errs = append(errs, fmt.Errorf("--cache-mb %d: want 1 to 65536", c.CacheMB))
	}
	if c.ImageMemoryMB == 0 {
		c.ImageMemoryMB = DefaultImageMemoryMB
	}
	// Under 64 MiB even a 12-megapixel photo would be refused.
	if c.ImageMemoryMB < 64 || c.ImageMemoryMB > 64<<10 {
		errs = append(errs, fmt.Errorf("--image-memory-mb %d: want 64 to 65536", c.ImageMemoryMB))
	}
	if c.ImportMaxMB == 0 {
		c.ImportMaxMB = DefaultImportMaxMB
	}
	if c.ImportMaxMB < 1 || c.ImportMaxMB > 1<<20 {
		errs = append(errs, fmt.Errorf("--import-max-mb %d: want 1 to 1048576", c.ImportMaxMB))
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		errs = append(errs, fmt.Errorf("--log-format %q: want json or text", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	return errors.Join(errs...)
}

// TLS reports whether the public site is served over HTTPS.
func (c *Config) TLS() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// OriginFor is the origin of a server bound to addr, for when no base URL
// is configured: an unspecified host becomes localhost.
func OriginFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// redactedURL shows a URL given in the configuration without its password,
// which must not reach a log; one that does not parse is not shown at all,
// since where its password is cannot be told.
func redactedURL(u *url.URL, parseErr error) string {
	if parseErr != nil {
		return "(not a URL)"
	}
	return strconv.Quote(u.Redacted())
}
