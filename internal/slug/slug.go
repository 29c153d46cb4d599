// Package slug holds the rule for the hand-chosen URL names of sections
// and static pages.
package slug

// Valid reports whether s is 1 to 60 lower-case ASCII letters, digits and
// inner hyphens: safe in a URL path as it is, and one way to spell it.
func Valid(s string) bool {
	if s == "" || len(s) > 60 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
