package comment

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestScreen(t *testing.T) {
	words := []BannedWord{
		{Word: "idiot", Lang: "en", Action: Reject, Rule: 1},
		{Word: "casino", Lang: "en", Action: Hold, Rule: 5},
		{Word: "바보", Lang: "ko", Action: Reject, Rule: 1},
	}
	tests := []struct {
		body   string
		action Action
		rule   int
	}{
		{"What an IDIOT.", Reject, 1},
		{"idiotic is not the word", "", 0},
		{"너 바보야", Reject, 1},
		{"online casino tips", Hold, 5},
		{"casino and idiot", Reject, 1},
		{"see https://a.example and https://b.example and https://c.example", Reject, RuleSpam},
		{"see https://a.example and https://b.example", "", 0},
		{"a fine comment", "", 0},
	}
	for _, tt := range tests {
		d := Screen(tt.body, words, 2)
		if d.Action != tt.action || d.Rule != tt.rule {
			t.Errorf("Screen(%q) = %+v, want action %q rule %d", tt.body, d, tt.action, tt.rule)
		}
	}
}

func TestFingerprint_ignoresCaseAndPunctuation(t *testing.T) {
	if Fingerprint("Great article!") != Fingerprint("great   article") {
		t.Error("repeats differing only in case and punctuation should share a fingerprint")
	}
	if Fingerprint("great article") == Fingerprint("great articles") {
		t.Error("different texts share a fingerprint")
	}
}

func TestParsePolicy_demoPolicy(t *testing.T) {
	b, err := os.ReadFile("../demo/content/pages/standards-board-policy.md")
	if err != nil {
		t.Fatal(err)
	}
	p := ParsePolicy(string(b))
	if len(p.Rules) != 10 {
		t.Fatalf("got %d rules, want 10: %+v", len(p.Rules), p.Rules)
	}
	if r := p.Rule(6); r.Text != "Protect the privacy of others." {
		t.Errorf("rule 6 = %q", r.Text)
	}
	if p.Version == "" {
		t.Error("no version")
	}
	changed := ParsePolicy(strings.Replace(string(b), "No hate speech.", "No hateful speech.", 1))
	if changed.Version == p.Version {
		t.Error("changing a rule kept the version; readers would not be asked again")
	}
	prose := ParsePolicy(strings.Replace(string(b), "welcomes comments", "welcomes thoughtful comments", 1))
	if prose.Version != p.Version {
		t.Error("changing prose outside the rules changed the version")
	}
}

func TestSettings_changeValidatesAndRoundTrips(t *testing.T) {
	s, bad := DefaultSettings().Change(map[string]string{"comments_max_length": "300", KeyMode: "pre"})
	if len(bad) > 0 || s.MaxLength != 300 || s.Mode != PreMod {
		t.Fatalf("Change: %+v %v", s, bad)
	}
	if back := SettingsFromMap(s.Map()); back != s {
		t.Errorf("round trip: %+v != %+v", back, s)
	}
	_, bad = DefaultSettings().Change(map[string]string{"comments_max_length": "0", "comments_per_day": "x", "nope": "1", KeyMode: "inherit"})
	if len(bad) != 4 {
		t.Errorf("want 4 bad fields, got %v", bad)
	}
	if got := SettingsFromMap(map[string]string{"comments_max_length": "-5"}); got.MaxLength != 250 {
		t.Errorf("a bad stored value should keep the default, got %d", got.MaxLength)
	}
}

func TestEffectiveMode(t *testing.T) {
	s := DefaultSettings()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	pub := now.Add(-48 * time.Hour)
	if m := s.EffectiveMode(Inherit, []Mode{Inherit, PreMod}, pub, now); m != PreMod {
		t.Errorf("parent section's mode: got %q", m)
	}
	if m := s.EffectiveMode(Closed, []Mode{PreMod}, pub, now); m != Closed {
		t.Errorf("article's own mode wins: got %q", m)
	}
	if m := s.EffectiveMode(Inherit, nil, pub, now); m != PostMod {
		t.Errorf("site default: got %q", m)
	}
	s.CloseAfterDays = 1
	if m := s.EffectiveMode(PostMod, nil, pub, now); m != Closed {
		t.Errorf("auto-close after a day: got %q", m)
	}
}

func TestCheckPost_limits(t *testing.T) {
	s := DefaultSettings()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	day := StartOfDay(now, time.UTC)
	tests := []struct {
		name  string
		st    PostStats
		code  string
		retry time.Duration
	}{
		{"fresh", PostStats{DayStarted: day}, "", 0},
		{"too soon", PostStats{DayStarted: day, Last: now.Add(-20 * time.Second)}, "interval", 40 * time.Second},
		{"daily", PostStats{DayStarted: day, Today: 20}, "per_day", 12 * time.Hour},
		{"article (for good: not a rate)", PostStats{DayStarted: day, OnArticle: 3}, "per_article", 0},
		{"ip", PostStats{DayStarted: day, IPHour: 120}, "per_ip", time.Hour},
		{"repeat", PostStats{DayStarted: day, Duplicate: true}, "duplicate", 0},
	}
	for _, tt := range tests {
		err := s.CheckPost(tt.st, Policy{}, now)
		var r *Refusal
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.As(err, &r) || r.Code != tt.code || r.RetryAfter != tt.retry {
			t.Errorf("%s: got %#v, want code %q retry %v", tt.name, err, tt.code, tt.retry)
		}
	}
}
