package social

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"broadsheet/internal/outage"
)

// Options configure New.
type Options struct {
	BaseURL   string // public origin, e.g. https://news.example; callback = BaseURL + "/auth/{provider}/callback"
	Providers []ProviderConfig
	Flows     FlowStore

	// SignIn is called after a verified login; it sets the session and
	// redirects to next.
	SignIn func(w http.ResponseWriter, r *http.Request, id Identity, next string)
	// Fail renders an error page in the site's layout; message is for
	// people and never holds secrets or tokens.
	Fail func(w http.ResponseWriter, r *http.Request, status int, message string)

	// HTTPClient makes the token, user-info and discovery calls; nil
	// means a client with a 10 s timeout.
	HTTPClient *http.Client
	Now        func() time.Time // nil means time.Now
	Logger     *slog.Logger     // nil means no logging

	// FailureThreshold outages in a row make a provider unavailable for
	// Cooldown. Zero values mean 3 and 60 s.
	FailureThreshold int
	Cooldown         time.Duration
}

// Logins serves reader logins through the configured providers.
type Logins struct {
	baseURL   string
	secure    bool // BaseURL is https, so the binding cookie is Secure
	flows     FlowStore
	signIn    func(w http.ResponseWriter, r *http.Request, id Identity, next string)
	fail      func(w http.ResponseWriter, r *http.Request, status int, message string)
	hc        *http.Client
	now       func() time.Time
	log       *slog.Logger
	threshold int
	cooldown  time.Duration

	order []*entry          // configured order, for Buttons and Status
	byKey map[string]*entry // by provider key, for the handlers
}

// entry is one configured provider with its health.
type entry struct {
	key    string
	label  string
	p      provider
	health health
}

// New checks o and prepares the providers. It makes no network calls:
// OpenID Connect discovery waits for the first login, so a provider that
// is down never stops the site from starting.
func New(o Options) (*Logins, error) {
	base, err := parseBaseURL(o.BaseURL)
	if err != nil {
		return nil, err
	}
	switch {
	case o.Flows == nil:
		return nil, errors.New("social: Options.Flows is required")
	case o.SignIn == nil:
		return nil, errors.New("social: Options.SignIn is required")
	case o.Fail == nil:
		return nil, errors.New("social: Options.Fail is required")
	case o.FailureThreshold < 0:
		return nil, fmt.Errorf("social: Options.FailureThreshold %d is negative", o.FailureThreshold)
	case o.Cooldown < 0:
		return nil, fmt.Errorf("social: Options.Cooldown %v is negative", o.Cooldown)
	}
	l := &Logins{
		baseURL:   base.String(),
		secure:    base.Scheme == "https",
		flows:     o.Flows,
		signIn:    o.SignIn,
		fail:      o.Fail,
		hc:        o.HTTPClient,
		now:       o.Now,
		log:       o.Logger,
		threshold: o.FailureThreshold,
		cooldown:  o.Cooldown,
		byKey:     make(map[string]*entry, len(o.Providers)),
	}
	if l.hc == nil {
		l.hc = &http.Client{Timeout: 10 * time.Second}
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	if l.threshold == 0 {
		l.threshold = defaultFailureThreshold
	}
	if l.cooldown == 0 {
		l.cooldown = defaultCooldown
	}
	for _, c := range o.Providers {
		c = c.withDefaults()
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("social: %w", err)
		}
		if _, dup := l.byKey[c.Provider]; dup {
			return nil, fmt.Errorf("social: provider %s is configured twice", c.Provider)
		}
		e := &entry{key: c.Provider, label: c.Label, p: newProvider(c, l.callbackURL(c.Provider), l.now)}
		l.order = append(l.order, e)
		l.byKey[c.Provider] = e
	}
	return l, nil
}

// parseBaseURL accepts an http(s) origin, with or without a final slash.
// A path is refused: the routes are registered at /auth/… on the mux, so
// a prefix would make the callback URL point where nothing answers.
func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(s, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("social: Options.BaseURL %q is not an http(s) origin", s)
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("social: Options.BaseURL %q must be an origin only, without path, query or user", s)
	}
	return u, nil
}

// Register adds the login routes to mux.
func (l *Logins) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /auth/{provider}/login", l.startLogin)
	mux.HandleFunc("GET /auth/{provider}/callback", l.finishLogin)
}

// Button is one way to log in, for the login page.
type Button struct {
	Provider  string
	Label     string
	URL       string // the login URL, with next
	Available bool   // false while the provider is cooling down after outages
}

// Buttons lists the providers in configured order. next is where the
// reader goes after logging in; it is passed through SafeNext.
func (l *Logins) Buttons(next string) []Button {
	now := l.now()
	q := url.Values{"next": {SafeNext(next)}}.Encode()
	out := make([]Button, 0, len(l.order))
	for _, e := range l.order {
		out = append(out, Button{
			Provider:  e.key,
			Label:     e.label,
			URL:       "/auth/" + e.key + "/login?" + q,
			Available: e.health.available(now),
		})
	}
	return out
}

// Status reports every provider's health, in configured order.
func (l *Logins) Status() []ProviderStatus {
	now := l.now()
	out := make([]ProviderStatus, 0, len(l.order))
	for _, e := range l.order {
		s := e.health.status(now)
		s.Provider, s.Label = e.key, e.label
		out = append(out, s)
	}
	return out
}

func (l *Logins) callbackURL(key string) string {
	return l.baseURL + "/auth/" + key + "/callback"
}

// providerContext makes x/oauth2 and go-oidc use our HTTP client for the
// calls made on behalf of r, which also end when r does.
func (l *Logins) providerContext(r *http.Request) context.Context {
	return context.WithValue(r.Context(), oauth2.HTTPClient, l.hc)
}

// client gets e's client, counting a successful discovery as the
// provider answering again.
func (l *Logins) client(ctx context.Context, e *entry) (*oauthClient, error) {
	oc, asked, err := e.p.client(ctx)
	if asked {
		e.health.succeed()
	}
	return oc, err
}

// refuse logs why a login did not go ahead and renders the page. It is
// the one place where refusals are logged and outages counted.
func (l *Logins) refuse(w http.ResponseWriter, r *http.Request, e *entry, le *loginError) {
	if le.status == http.StatusInternalServerError && outage.Is(le.err) {
		// Our database did not answer, not the provider: try again soon.
		le.status = http.StatusServiceUnavailable
		outage.SetRetryAfter(w)
	}
	level := slog.LevelInfo
	if le.outage {
		level = slog.LevelWarn
		if e != nil {
			e.health.fail(l.now(), l.threshold, l.cooldown, describe(le.err))
		}
	}
	key := r.PathValue("provider")
	l.log.LogAttrs(r.Context(), level, "reader login refused",
		slog.String("provider", key),
		slog.Int("status", le.status),
		slog.String("reason", describe(le.err)))
	l.fail(w, r, le.status, le.message)
}
