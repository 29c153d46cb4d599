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
		if !utf8.ValidString(out) || out == "" || Length(out) > 250 {
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
