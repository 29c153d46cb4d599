package comment

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// onlyOurTags matches the markup HTML itself writes; anything else that
// looks like a tag came from a reader and must not be there.
var onlyOurTags = regexp.MustCompile(`<a href="[^"<>]*" rel="nofollow ugc noopener" target="_blank">|</a>|<br>`)

func FuzzNormalizeBodyAndHTML(f *testing.F) {
	for _, s := range []string{"hello", "안녕하세요", "<script>alert(1)</script>", "see https://example.org/<b>", "\x00", "e\u0301\u0301",
		"👨\u200d👩\u200d👧", "\r\n\r\n\r\nx", "https://a.example/\"onmouseover=x", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := NormalizeBody(in, 250)
		if err != nil {
			if _, ok := err.(*Refusal); !ok {
				t.Fatalf("error %T is not a *Refusal", err)
			}
			return
		}
		if !utf8.ValidString(out) || out == "" || Length(out) > 250 || len(out) > 250*MaxCharBytes {
			t.Fatalf("accepted %q as %q (length %d)", in, out, Length(out))
		}
		again, err := NormalizeBody(out, 250)
		if err != nil || again != out {
			t.Fatalf("normalising %q again gives %q, %v", out, again, err)
		}
		rest := onlyOurTags.ReplaceAllString(string(HTML(out)), "")
		if strings.ContainsAny(rest, "<>") {
			t.Fatalf("HTML(%q) has markup of its own: %s", out, HTML(out))
		}
	})
}

// FuzzNormalizeBodySize repeats a unit of text, as an attack repeats an
// accent or an emoji, under any limit a site may set: an accepted comment
// is never longer than the limit in characters, nor in bytes than the cap,
// nor has a character of more code points than allowed, and a refusal for
// size reports a length over the limit it names.
func FuzzNormalizeBodySize(f *testing.F) {
	for _, s := range []string{"a", "\u0301", "x\u0301\u0301\u0301", "👩🏻\u200d❤️\u200d💋\u200d👨🏼", "\U000E0020", "👍\u200d", "가", "\u1100\u1161\u11a8", "🇰🇷"} {
		f.Add(s, uint16(250), uint16(100))
	}
	f.Fuzz(func(t *testing.T, unit string, limit, times uint16) {
		lim := 1 + int(limit)%5000 // the range the site setting allows
		in := strings.Repeat(unit, int(times)%2000)
		out, err := NormalizeBody(in, lim)
		if err != nil {
			r, ok := err.(*Refusal)
			if !ok {
				t.Fatalf("error %T is not a *Refusal", err)
			}
			switch r.Code {
			case "too_long", "character_too_long", "too_large":
				if r.Length <= r.Limit {
					t.Fatalf("%s refusal of %q × %d: length %d within limit %d", r.Code, unit, times, r.Length, r.Limit)
				}
			}
			if r.Code == "too_large" && r.Limit != lim*MaxCharBytes {
				t.Fatalf("too_large names limit %d, want %d", r.Limit, lim*MaxCharBytes)
			}
			return
		}
		chars, widest := measure(out)
		if chars != Length(out) || chars > lim || len(out) > lim*MaxCharBytes || widest > MaxCharCodePoints {
			t.Fatalf("accepted %q × %d under limit %d: %d characters, %d bytes, widest %d code points", unit, times, lim, chars, len(out), widest)
		}
	})
}
