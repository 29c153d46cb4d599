package comment

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Action is what a banned word does to a comment that contains it.
type Action string

// The actions of a banned word.
const (
	Reject Action = "reject" // refused at once, with the rule it breaks
	Hold   Action = "hold"   // stored but hidden until a moderator approves it
)

// BannedWord is one entry of the banned-word lists.
type BannedWord struct {
	ID     int64
	Word   string
	Lang   string // "en" or "ko"
	Action Action
	Rule   int // the policy rule it enforces; 0 means RuleRespect
}

// NormalizeBannedWord validates an entry for storage.
func NormalizeBannedWord(w BannedWord) (BannedWord, map[string]string) {
	bad := map[string]string{}
	w.Word = strings.ToLower(norm.NFC.String(strings.TrimSpace(w.Word)))
	if w.Word == "" || utf8.RuneCountInString(w.Word) > 100 || strings.IndexFunc(w.Word, unicode.IsControl) >= 0 {
		bad["word"] = "must be 1 to 100 characters without control characters"
	}
	if w.Lang != "en" && w.Lang != "ko" {
		bad["lang"] = `must be "en" or "ko"`
	}
	if w.Action != Reject && w.Action != Hold {
		bad["action"] = `must be "reject" or "hold"`
	}
	if w.Rule < 0 || w.Rule > 1000 {
		bad["rule"] = "must be a policy rule number"
	}
	if w.Rule == 0 {
		w.Rule = RuleRespect
	}
	return w, bad
}

// Decision is the outcome of screening a comment's text.
type Decision struct {
	Action Action // "" when nothing matched
	Rule   int
	Reason string
}

// Screen checks a normalised comment against the banned words and the
// link limit. A rejecting match wins over a holding one. English words
// match whole words; Korean ones match inside words too, because Korean
// attaches particles and endings to the word ("바보야", "바보는").
func Screen(body string, words []BannedWord, maxLinks int) Decision {
	if n := CountLinks(body); n > maxLinks {
		return Decision{Action: Reject, Rule: RuleSpam,
			Reason: fmt.Sprintf("The comment has %d links; at most %d are allowed.", n, maxLinks)}
	}
	lower := strings.ToLower(body)
	var held *Decision
	for _, w := range words {
		if !contains(lower, w) {
			continue
		}
		d := Decision{Action: w.Action, Rule: w.Rule, Reason: fmt.Sprintf("The comment contains %q, which is not allowed here.", w.Word)}
		if w.Action == Reject {
			return d
		}
		if held == nil {
			held = &d
		}
	}
	if held != nil {
		held.Reason = "The comment will appear after a moderator has read it."
		return *held
	}
	return Decision{}
}

func contains(text string, w BannedWord) bool {
	if w.Word == "" {
		return false
	}
	if w.Lang == "ko" {
		return strings.Contains(text, w.Word)
	}
	for i := 0; ; {
		j := strings.Index(text[i:], w.Word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w.Word)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		i = start + 1
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

// Fingerprint identifies a text for duplicate detection: case, spacing
// and punctuation do not make a repeat new.
func Fingerprint(body string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(body) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	key := b.String()
	if key == "" { // only symbols or emoji: compare them, without spaces
		key = strings.Join(strings.Fields(body), "")
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}
