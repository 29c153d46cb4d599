package comment

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// Length counts user-perceived characters (extended grapheme clusters):
// "안녕하세요" is 5, a family emoji is 1, "e" with a combining accent is 1.
// The limit readers see is counted the same way in the browser, with
// Intl.Segmenter.
func Length(s string) int { return uniseg.GraphemeClusterCount(s) }

// NormalizeBody checks a comment's text and returns the form to store:
// NFC, line breaks as "\n", at most two blank lines in a row, trimmed.
// Readers write plain text; nothing in it is ever rendered as markup.
func NormalizeBody(s string, limit int) (string, error) {
	if !utf8.ValidString(s) {
		return "", invalid("invalid_text", "The comment contains bytes that are not text (not valid UTF-8).")
	}
	// Composing shrinks text to a third at most (three Hangul jamo make
	// one syllable): a body over four times the cap is refused as sent,
	// before the work of composing and segmenting it, even when most of
	// it is blank space that tidying would have dropped.
	if len(s) > 4*limit*MaxCharBytes {
		return "", tooLarge(len(s), limit)
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	for _, r := range s {
		if r == '\n' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= 0xFFF9 && r <= 0xFFFB) {
			return "", invalid("control_character", fmt.Sprintf("The comment contains an invisible control character (U+%04X); please remove it.", r))
		}
	}
	s = norm.NFC.String(s)
	s = strings.TrimSpace(s)
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	if s == "" || strings.TrimFunc(s, isBlank) == "" {
		return "", invalid("empty", "The comment is empty; write something before posting.")
	}
	n, widest := measure(s)
	if n > limit {
		r := invalid("too_long", fmt.Sprintf("The comment is %d characters long; the limit is %d. Please shorten it by %d.", n, limit, n-limit))
		r.Length, r.Limit = n, limit
		return "", r
	}
	if widest > MaxCharCodePoints {
		r := invalid("character_too_long", fmt.Sprintf("One character in the comment is built of %d code points, such as a letter with many accents stacked on it; at most %d are allowed in one character.", widest, MaxCharCodePoints))
		r.Length, r.Limit = widest, MaxCharCodePoints
		return "", r
	}
	if len(s) > limit*MaxCharBytes {
		return "", tooLarge(len(s), limit)
	}
	return s, nil
}

func tooLarge(size, limit int) *Refusal {
	max := limit * MaxCharBytes
	r := invalid("too_large", fmt.Sprintf("The comment takes %d bytes; at most %d are allowed (%d for each of its %d characters). Please shorten it.", size, max, MaxCharBytes, limit))
	r.Length, r.Limit = size, max
	return r
}

// A character (grapheme cluster) may be built of several code points, and
// so a comment within its limit of characters could otherwise be of any
// size: "a" followed by half a million combining accents is one character
// of a megabyte.
const (
	// MaxCharCodePoints bounds the code points in one character. The
	// longest emoji sequence Unicode recommends, a kiss between two
	// people with skin tones, is 10; letters with their accents and
	// Hangul or Indic syllables are a handful.
	MaxCharCodePoints = 12
	// MaxCharBytes bounds a comment's bytes, per character of the limit:
	// that kiss takes 35 bytes in UTF-8, so a comment of nothing but the
	// widest emoji still fits, while 250 characters can never be more
	// than 10,000 bytes. English takes 1 byte a character, Korean 3.
	MaxCharBytes = 40
)

// measure counts s's characters and the code points of its widest one.
func measure(s string) (chars, widest int) {
	state := -1
	for s != "" {
		var cluster string
		cluster, s, _, state = uniseg.FirstGraphemeClusterInString(s, state)
		chars++
		widest = max(widest, utf8.RuneCountInString(cluster))
	}
	return chars, widest
}

// isBlank is true for spaces and for the invisible characters that make a
// comment look empty: zero-width spaces and joiners, the Hangul filler.
func isBlank(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u3164', '\u115F', '\u1160', '\uFFA0':
		return true
	}
	return unicode.IsSpace(r)
}
