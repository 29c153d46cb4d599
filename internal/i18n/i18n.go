// Package i18n holds the interface's message catalogues (English and
// Korean) and picks a language for each request.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var locales embed.FS

// Supported lists the interface languages; the first is the fallback.
var Supported = []string{"en", "ko"}

// Catalog is the loaded message catalogues.
type Catalog struct {
	bundle  *goi18n.Bundle
	matcher language.Matcher
	tags    []language.Tag
	byLang  map[string]*Translator

	// matched memoises Match: browsers send a handful of distinct
	// Accept-Language values, and parsing one costs more than serving a
	// cached page. Bounded, so odd headers cannot grow it without end.
	matched  sync.Map // header + "\x00" + default → language
	nMatched atomic.Int32
}

const maxMatched = 4096

// Load reads the embedded catalogues and checks that every language has
// every message the fallback language has.
func Load() (*Catalog, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{bundle: b, byLang: map[string]*Translator{}}
	ids := map[string][]string{}
	for _, lang := range Supported {
		// A language's catalogue is locales/<lang>.json and any number of
		// locales/<feature>.<lang>.json beside it, one per feature.
		files, err := fs.Glob(locales, "locales/*"+lang+".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", lang, err)
		}
		for _, name := range files {
			if base := path.Base(name); base != lang+".json" && !strings.HasSuffix(base, "."+lang+".json") {
				continue
			}
			f, err := b.LoadMessageFileFS(locales, name)
			if err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", name, err)
			}
			for _, m := range f.Messages {
				ids[lang] = append(ids[lang], m.ID)
			}
		}
		tag := language.MustParse(lang)
		c.tags = append(c.tags, tag)
		c.byLang[lang] = &Translator{Lang: lang, loc: goi18n.NewLocalizer(b, lang)}
	}
	if err := sameIDs(ids); err != nil {
		return nil, err
	}
	c.matcher = language.NewMatcher(c.tags)
	return c, nil
}

func sameIDs(ids map[string][]string) error {
	want := map[string]bool{}
	for _, id := range ids[Supported[0]] {
		want[id] = true
	}
	for _, lang := range Supported[1:] {
		have := map[string]bool{}
		for _, id := range ids[lang] {
			have[id] = true
		}
		for id := range want {
			if !have[id] {
				return fmt.Errorf("i18n: %s catalogue lacks message %q", lang, id)
			}
		}
	}
	return nil
}

// IsSupported reports whether lang is an interface language.
func IsSupported(lang string) bool {
	for _, l := range Supported {
		if l == lang {
			return true
		}
	}
	return false
}

// Match picks the interface language for an Accept-Language header,
// falling back to def (the site setting) when the header names none of
// ours.
func (c *Catalog) Match(acceptLanguage, def string) string {
	if acceptLanguage == "" || len(acceptLanguage) > 512 {
		return def
	}
	key := acceptLanguage + "\x00" + def
	if v, ok := c.matched.Load(key); ok {
		return v.(string)
	}
	lang := c.match(acceptLanguage, def)
	if c.nMatched.Load() < maxMatched {
		c.nMatched.Add(1)
		c.matched.Store(key, lang)
	}
	return lang
}

func (c *Catalog) match(acceptLanguage, def string) string {
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return def
	}
	_, idx, conf := c.matcher.Match(prefs...)
	if conf == language.No {
		return def
	}
	return Supported[idx]
}

// For returns the translator for lang, or the fallback language's.
func (c *Catalog) For(lang string) *Translator {
	if t, ok := c.byLang[lang]; ok {
		return t
	}
	return c.byLang[Supported[0]]
}

// Translator gives one language's messages.
type Translator struct {
	Lang  string
	loc   *goi18n.Localizer
	plain sync.Map // id → message, for messages without data
}

// T returns a message; pairs are template data as name, value, ….
// A missing message is returned as its id, so a gap shows up on the page
// rather than as an error. Korean particle markers such as (으)로 are
// resolved by the word the data put before them (Particles).
func (t *Translator) T(id string, pairs ...any) string {
	if len(pairs) == 0 {
		if v, ok := t.plain.Load(id); ok {
			return v.(string)
		}
	}
	data := map[string]any{}
	for i := 0; i+1 < len(pairs); i += 2 {
		data[fmt.Sprint(pairs[i])] = pairs[i+1]
	}
	s, err := t.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		s = id
	}
	s = Particles(s)
	if len(pairs) == 0 {
		t.plain.Store(id, s)
	}
	return s
}

// N returns a message in the language's plural form for n (English:
// one, other; Korean: other), by go-i18n's CLDR rules; {{.Count}} is n,
// and pairs are further template data as name, value, ….
func (t *Translator) N(id string, n int, pairs ...any) string {
	data := map[string]any{"Count": n}
	for i := 0; i+1 < len(pairs); i += 2 {
		data[fmt.Sprint(pairs[i])] = pairs[i+1]
	}
	s, err := t.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: data})
	if err != nil {
		return id
	}
	return Particles(s)
}

// DateTime formats a time in loc with this language's layout.
func (t *Translator) DateTime(tm time.Time, loc *time.Location) string {
	return tm.In(loc).Format(t.T("date_time_layout"))
}

// Date formats a date in loc with this language's layout.
func (t *Translator) Date(tm time.Time, loc *time.Location) string {
	return tm.In(loc).Format(t.T("date_layout"))
}

// Upper upper-cases a byline name in languages that do so.
func (t *Translator) Upper(s string) string {
	if t.Lang == "en" {
		return strings.ToUpper(s)
	}
	return s
}
