package comment

import (
	"fmt"
	"strconv"
	"time"
)

// Mode is how comments on an article are handled.
type Mode string

// The moderation modes. Inherit is stored on sections and articles that
// follow their parent.
const (
	Inherit Mode = ""
	PostMod Mode = "post"   // comments appear at once; moderators act afterwards
	PreMod  Mode = "pre"    // comments wait for a moderator
	Closed  Mode = "closed" // no new comments
)

// ParseMode accepts a mode name; "" and "inherit" mean Inherit.
func ParseMode(s string) (Mode, error) {
	switch s {
	case "", "inherit":
		return Inherit, nil
	case "post", "pre", "closed":
		return Mode(s), nil
	}
	return "", fmt.Errorf("unknown comment mode %q (want post, pre, closed or inherit)", s)
}

// Settings are the site-wide comment rules, stored as site settings.
// Every limit is enforced on the server.
type Settings struct {
	MaxLength        int  // user-perceived characters per comment
	Mode             Mode // the site's mode: post, pre or closed
	CloseAfterDays   int  // comments close this many days after publication; 0 never
	PerDay           int  // comments per reader per day
	PerArticle       int  // comments per reader per article
	Interval         int  // seconds between a reader's comments
	ReactionsPerDay  int  // likes and dislikes per reader per day
	ReactionInterval int  // seconds between a reader's reactions
	PerIPHour        int  // comments per IP address per hour; 0 no limit
	ReactionsIPHour  int  // reactions per IP address per hour; 0 no limit
	NewAccountWait   int  // seconds a new reader account waits before commenting; 0 off
	MaxLinks         int  // web addresses per comment
	AutoHideReports  int  // reports that hide a comment until a moderator looks
	EditWindow       int  // seconds during which an author may edit
	DuplicateWindow  int  // seconds in which the same text from the same reader is a repeat
}

// DefaultSettings are the settings of a new site.
func DefaultSettings() Settings {
	return Settings{
		MaxLength: 250, Mode: PostMod, CloseAfterDays: 0,
		PerDay: 20, PerArticle: 3, Interval: 60,
		ReactionsPerDay: 50, ReactionInterval: 10,
		PerIPHour: 120, ReactionsIPHour: 600, NewAccountWait: 0,
		MaxLinks: 2, AutoHideReports: 5, EditWindow: 300, DuplicateWindow: 86400,
	}
}

// field describes one setting: its stored key and its bounds.
type field struct {
	key      string
	min, max int
	ptr      func(*Settings) *int
}

var fields = []field{
	{"comments_max_length", 1, 5000, func(s *Settings) *int { return &s.MaxLength }},
	{"comments_close_after_days", 0, 3650, func(s *Settings) *int { return &s.CloseAfterDays }},
	{"comments_per_day", 1, 1_000_000, func(s *Settings) *int { return &s.PerDay }},
	{"comments_per_article", 1, 1_000_000, func(s *Settings) *int { return &s.PerArticle }},
	{"comments_interval_seconds", 0, 86400, func(s *Settings) *int { return &s.Interval }},
	{"reactions_per_day", 1, 1_000_000, func(s *Settings) *int { return &s.ReactionsPerDay }},
	{"reactions_interval_seconds", 0, 86400, func(s *Settings) *int { return &s.ReactionInterval }},
	{"comments_per_ip_hour", 0, 10_000_000, func(s *Settings) *int { return &s.PerIPHour }},
	{"reactions_per_ip_hour", 0, 10_000_000, func(s *Settings) *int { return &s.ReactionsIPHour }},
	{"comments_new_account_wait_seconds", 0, 30 * 86400, func(s *Settings) *int { return &s.NewAccountWait }},
	{"comments_max_links", 0, 100, func(s *Settings) *int { return &s.MaxLinks }},
	{"comments_auto_hide_reports", 1, 1000, func(s *Settings) *int { return &s.AutoHideReports }},
	{"comments_edit_window_seconds", 0, 86400, func(s *Settings) *int { return &s.EditWindow }},
	{"comments_duplicate_window_seconds", 0, 30 * 86400, func(s *Settings) *int { return &s.DuplicateWindow }},
}

// KeyMode is the stored key of the site's moderation mode.
const KeyMode = "comments_mode"

// SettingsFromMap reads stored settings; a missing or unusable value
// keeps its default.
func SettingsFromMap(m map[string]string) Settings {
	s := DefaultSettings()
	for _, f := range fields {
		if v, err := strconv.Atoi(m[f.key]); err == nil && v >= f.min && v <= f.max {
			*f.ptr(&s) = v
		}
	}
	if md, err := ParseMode(m[KeyMode]); err == nil && md != Inherit {
		s.Mode = md
	}
	return s
}

// Map is the stored form of s.
func (s Settings) Map() map[string]string {
	m := map[string]string{KeyMode: string(s.Mode)}
	for _, f := range fields {
		m[f.key] = strconv.Itoa(*f.ptr(&s))
	}
	return m
}

// Change applies the values in m (stored keys) to s; unknown keys and
// out-of-range values are reported per key.
func (s Settings) Change(m map[string]string) (Settings, map[string]string) {
	bad := map[string]string{}
	for k, v := range m {
		if k == KeyMode {
			md, err := ParseMode(v)
			if err != nil || md == Inherit {
				bad[k] = "must be post, pre or closed"
				continue
			}
			s.Mode = md
			continue
		}
		f, ok := fieldByKey(k)
		if !ok {
			bad[k] = "is not a comment setting"
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < f.min || n > f.max {
			bad[k] = fmt.Sprintf("must be a whole number from %d to %d", f.min, f.max)
			continue
		}
		*f.ptr(&s) = n
	}
	return s, bad
}

func fieldByKey(k string) (field, bool) {
	for _, f := range fields {
		if f.key == k {
			return f, true
		}
	}
	return field{}, false
}

// Keys lists the stored keys of every comment setting.
func Keys() []string {
	keys := []string{KeyMode}
	for _, f := range fields {
		keys = append(keys, f.key)
	}
	return keys
}

// EffectiveMode is the mode that applies to an article: its own, else the
// nearest section's up the tree (modes lists them from the article's
// section upwards), else the site's; closed once the article is older
// than CloseAfterDays.
func (s Settings) EffectiveMode(article Mode, sections []Mode, published, now time.Time) Mode {
	m := article
	for _, sm := range sections {
		if m != Inherit {
			break
		}
		m = sm
	}
	if m == Inherit {
		m = s.Mode
	}
	if s.CloseAfterDays > 0 && !published.IsZero() && now.Sub(published) > time.Duration(s.CloseAfterDays)*24*time.Hour {
		return Closed
	}
	return m
}
