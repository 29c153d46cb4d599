package social

import (
	"strings"
	"testing"
	"unicode"
)

func TestSafeNext(t *testing.T) {
	tests := []struct {
		next, want string
	}{
		{"/article/3/slug?x=1#c5", "/article/3/slug?x=1#c5"},
		{"/", "/"},
		{"/sports/", "/sports/"},
		{"/search?q=" + "%ED%95%9C%EA%B5%AD", "/search?q=%ED%95%9C%EA%B5%AD"},
		{"/기사/한국", "/기사/한국"},
		{"", "/"},
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"https://evil.example/", "/"},
		{"http:/evil.example", "/"},
		{`/\evil.example`, "/"},
		{`/article\..\x`, "/"},
		{"javascript:alert(1)", "/"},
		{"%2F%2Fevil.example", "/"},
		{"evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/a\x00b", "/"},
		{"/a\x7fb", "/"},
		{"/a\u0085b", "/"},
		{"/a\xffb", "/"},
		{" /article", "/"},
		{"/" + strings.Repeat("a", maxNext-1), "/" + strings.Repeat("a", maxNext-1)},
		{"/" + strings.Repeat("a", maxNext), "/"},
		{"/%zz", "/"}, // not a URL net/url can parse
	}
	for _, tt := range tests {
		if got := SafeNext(tt.next); got != tt.want {
			t.Errorf("SafeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}

func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/article/3/slug?x=1#c5", "//evil.example", `/\evil.example`,
		"https://evil.example/", "javascript:alert(1)", "%2F%2Fevil.example", "/\t/x", "/a\u0085"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := SafeNext(next)
		if got != "/" && got != next {
			t.Fatalf("SafeNext(%q) = %q: want the input unchanged or /", next, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, `/\`) {
			t.Fatalf("SafeNext(%q) = %q: want a path starting with one slash", next, got)
		}
		if strings.ContainsFunc(got, unicode.IsControl) || strings.Contains(got, `\`) || len(got) > maxNext {
			t.Fatalf("SafeNext(%q) = %q: control character, backslash or too long", next, got)
		}
		if SafeNext(got) != got {
			t.Fatalf("SafeNext(%q) = %q, but SafeNext of that is %q", next, got, SafeNext(got))
		}
	})
}
