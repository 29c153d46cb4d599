package comment

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeBody_countsUserPerceivedCharacters(t *testing.T) {
	family := "👨\u200d👩\u200d👧\u200d👦"
	tests := []struct {
		name string
		in   string
		want int // Length of the result
	}{
		{"ascii", "hello", 5},
		{"hangul syllables", "안녕하세요", 5},
		{"family emoji is one", family, 1},
		{"flag is one", "🇰🇷", 1},
		{"combining accent joins its letter", "e\u0301", 1},
		{"decomposed hangul jamo make one syllable", "\u1100\u1161", 1},
		{"skin tone modifier", "👍🏽", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeBody(tt.in, 250)
			if err != nil {
				t.Fatalf("NormalizeBody(%q): %v", tt.in, err)
			}
			if n := Length(got); n != tt.want {
				t.Errorf("Length(%q) = %d, want %d", got, n, tt.want)
			}
		})
	}
}

func TestNormalizeBody_limit(t *testing.T) {
	for _, unit := range []string{"a", "가", "👨\u200d👩\u200d👧", "e\u0301", "🇰🇷"} {
		at := strings.Repeat(unit, 250)
		if _, err := NormalizeBody(at, 250); err != nil {
			t.Errorf("250 × %q refused: %v", unit, err)
		}
		_, err := NormalizeBody(at+unit, 250)
		var r *Refusal
		if !errors.As(err, &r) || r.Code != "too_long" || r.Length != 251 || r.Limit != 250 {
			t.Errorf("251 × %q: err = %v, want too_long with length 251", unit, err)
		}
	}
}

func TestNormalizeBody_refusesEmptyAndControl(t *testing.T) {
	tests := map[string]string{
		"":                     "empty",
		"   ":                  "empty",
		"\n\n\t":               "empty",
		"\u200b\u200b":         "empty",
		"\u3164":               "empty",
		"hi\x00there":          "control_character",
		"bell\a":               "control_character",
		"rtl\u202e":            "",
		"bad utf8 \xff":        "invalid_text",
		"line\u2028separator":  "control_character",
		"escape \x1b[31m red":  "control_character",
		"ok with\nnew lines\n": "",
	}
	for in, code := range tests {
		_, err := NormalizeBody(in, 250)
		var r *Refusal
		switch {
		case code == "" && err != nil:
			t.Errorf("NormalizeBody(%q) = %v, want accepted", in, err)
		case code != "" && (!errors.As(err, &r) || r.Code != code):
			t.Errorf("NormalizeBody(%q) = %v, want code %q", in, err, code)
		}
	}
}

func TestNormalizeBody_tidiesWhitespace(t *testing.T) {
	got, err := NormalizeBody("  one\r\n\r\n\r\n\r\ntwo  ", 250)
	if err != nil || got != "one\n\ntwo" {
		t.Errorf("got %q, %v; want %q", got, err, "one\n\ntwo")
	}
}

func TestHTML_escapesEverythingAndLinksWebAddresses(t *testing.T) {
	got := string(HTML("<b>hi</b> & see https://example.org/a?b=1&c=\"2\" or javascript:alert(1)\nbye"))
	want := `&lt;b&gt;hi&lt;/b&gt; &amp; see <a href="https://example.org/a?b=1&amp;c=" rel="nofollow ugc noopener" target="_blank">https://example.org/a?b=1&amp;c=</a>&#34;2&#34; or javascript:alert(1)<br>bye`
	if got != want {
		t.Errorf("HTML:\n got %s\nwant %s", got, want)
	}
}

func TestScore_ordersByConfidence(t *testing.T) {
	if !(Score(90, 10) > Score(3, 0)) {
		t.Errorf("90/100 (%f) should beat 3/3 (%f)", Score(90, 10), Score(3, 0))
	}
	if !(Score(3, 0) > Score(0, 0)) || !(Score(0, 0) >= Score(0, 5)) {
		t.Errorf("ordering of few votes is wrong: %f %f %f", Score(3, 0), Score(0, 0), Score(0, 5))
	}
}
