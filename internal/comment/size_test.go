package comment

import (
	"errors"
	"strings"
	"testing"
)

// The longest emoji sequences Unicode recommends, and real text in the
// scripts readers write, fit however many characters the limit allows.
func TestNormalizeBody_admitsTheWidestRealCharacters(t *testing.T) {
	kiss := "👩🏻\u200d❤️\u200d💋\u200d👨🏼" // 10 code points, 35 bytes
	scotland := "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"
	for _, unit := range []string{kiss, scotland, "👨\u200d👩\u200d👧\u200d👦", "가", "ệ", "སྒྲུ", "\u1100\u1161\u11a8"} {
		at := strings.Repeat(unit, 250)
		got, err := NormalizeBody(at, 250)
		if err != nil {
			t.Errorf("250 × %q (%d bytes) refused: %v", unit, len(at), err)
			continue
		}
		if len(got) > 250*MaxCharBytes {
			t.Errorf("250 × %q is %d bytes, over the cap", unit, len(got))
		}
	}
}

// One "character" may not stand for a megabyte: a letter with half a
// million accents is one grapheme cluster.
func TestNormalizeBody_refusesCharactersBuiltOfManyCodePoints(t *testing.T) {
	tests := map[string]string{
		"x with 5,000 accents":       "x" + strings.Repeat("\u0301", 5_000),
		"x with one accent too many": "x" + strings.Repeat("\u0301", MaxCharCodePoints),
		"zalgo word":                 "hi " + strings.Repeat("e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a\u030b\u030c\u030d", 3),
		"a long emoji chain":         strings.Repeat("👍\u200d", 20) + "👍",
	}
	for name, in := range tests {
		_, err := NormalizeBody(in, 250)
		var r *Refusal
		if !errors.As(err, &r) || r.Code != "character_too_long" || r.Limit != MaxCharCodePoints || !strings.Contains(r.Message, "at most") {
			t.Errorf("%s: err = %v, want character_too_long with limit %d", name, err, MaxCharCodePoints)
		}
	}
	if _, err := NormalizeBody("x"+strings.Repeat("\u0301", MaxCharCodePoints-1), 250); err != nil {
		t.Errorf("a letter of %d code points refused: %v", MaxCharCodePoints, err)
	}
}

// Characters that each stay under the code-point cap still cannot add up
// to more than MaxCharBytes per character of the limit.
func TestNormalizeBody_capsBytes(t *testing.T) {
	// 11 code points of 4 bytes: 44 bytes, one character.
	wide := "😀" + strings.Repeat("\U000E0020", MaxCharCodePoints-2)
	in := strings.Repeat(wide, 250)
	_, err := NormalizeBody(in, 250)
	var r *Refusal
	if !errors.As(err, &r) || r.Code != "too_large" || r.Limit != 250*MaxCharBytes || r.Length != len(in) {
		t.Fatalf("250 × %d bytes: err = %v, want too_large with limit %d", len(wide), err, 250*MaxCharBytes)
	}
	if _, err := NormalizeBody(strings.Repeat(wide, 200), 250); err != nil {
		t.Errorf("200 × %d bytes refused: %v", len(wide), err)
	}
	// The megabyte that one character was: refused before it is composed.
	huge := "a" + strings.Repeat("\u0301", 520_000)
	if _, err := NormalizeBody(huge, 250); !errors.As(err, &r) || r.Code != "too_large" || r.Length != len(huge) {
		t.Errorf("a with 520,000 accents: err = %v, want too_large", err)
	}
}
