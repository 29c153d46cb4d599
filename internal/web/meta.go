package web

import (
	"strings"
	"time"

	"broadsheet/internal/i18n"
)

// meta is what a page tells other sites and machines about itself in its
// <head>: OpenGraph and Twitter card tags for share previews, article
// times and topics, its feeds, and its versions in each interface language.
type meta struct {
	Type      string // og:type: "article" on an article page, else "website"
	Image     string // absolute URL of the page's picture, "" for none
	ImageAlt  string
	Published time.Time // article pages only
	Modified  time.Time
	Section   string
	Tags      []string
	Authors   []string // absolute URLs of the author pages
	Feeds     []feedLink
	Languages bool // the page can be read in each interface language with ?lang=
	// Translation is the article's counterpart in the other language,
	// whose language OwnLanguage is not: the alternates name the two
	// articles instead of the interface languages.
	Translation *langVersion
	OwnLanguage string
}

// OGType is og:type, "website" unless the page says otherwise.
func (m meta) OGType() string {
	if m.Type == "" {
		return "website"
	}
	return m.Type
}

// TwitterCard is the large-picture card when there is a picture.
func (m meta) TwitterCard() string {
	if m.Image != "" {
		return "summary_large_image"
	}
	return "summary"
}

// ShareTitle is the page's title for previews on other sites: its own
// title, or the paper's name on the home page.
func (b layout) ShareTitle() string {
	if b.Title != "" {
		return b.Title
	}
	return b.Site.Name
}

// HeadCanonical is the canonical URL the <head> names. A page whose
// language the reader chose with ?lang= is its own language version and
// names itself, as hreflang requires; otherwise it is the page without
// ?lang=, which serves each reader their own language (x-default).
func (b layout) HeadCanonical() string {
	if b.L.explicit {
		return withLang(b.Canonical, b.L.Lang)
	}
	return b.Canonical
}

// langVersion is one <link rel="alternate" hreflang>.
type langVersion struct {
	Lang string
	URL  string
}

// LangVersions lists the page in each interface language, then x-default.
func (b layout) LangVersions() []langVersion {
	if t := b.Meta.Translation; t != nil {
		return []langVersion{{Lang: b.Meta.OwnLanguage, URL: b.Canonical}, *t, {Lang: "x-default", URL: b.Canonical}}
	}
	out := make([]langVersion, 0, len(i18n.Supported)+1)
	for _, l := range i18n.Supported {
		out = append(out, langVersion{Lang: l, URL: withLang(b.Canonical, l)})
	}
	return append(out, langVersion{Lang: "x-default", URL: b.Canonical})
}

func withLang(u, lang string) string {
	if strings.Contains(u, "?") {
		return u + "&lang=" + lang
	}
	return u + "?lang=" + lang
}

// ogLocales maps interface languages to OpenGraph's territory locales.
var ogLocales = map[string]string{"en": "en_US", "ko": "ko_KR"}

// OGLocale is og:locale for the page's language.
func (l locale) OGLocale() string { return ogLocales[l.Lang] }

// OGLocaleAlternates are the other languages the page can be read in.
func (l locale) OGLocaleAlternates() []string {
	var out []string
	for _, s := range i18n.Supported {
		if s != l.Lang {
			out = append(out, ogLocales[s])
		}
	}
	return out
}
