package slug

import "testing"

func TestValid(t *testing.T) {
	for s, want := range map[string]bool{
		"politics": true, "social-affairs": true, "a1": true, "": false, "-a": false, "a-": false,
		"Politics": false, "a b": false, "a/b": false, "정치": false, string(make([]byte, 61)): false,
	} {
		if got := Valid(s); got != want {
			t.Errorf("Valid(%q) = %v, want %v", s, got, want)
		}
	}
}
