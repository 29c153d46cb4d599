// Package glossary is the newsroom's own word list: a headword with its
// translation into a reader's language (denuclearization → 비핵화) and an
// optional note, kept by editors and shown before WordNet's definitions.
//
// The package holds the rules (what a valid entry is, how a headword is
// normalised for look-up), the readers of the import formats (CSV and
// dictd, as FreeDict ships) and the Service that applies the newsroom's
// roles. It has no SQL and no HTTP: the store and the API call into it, and
// so can an HTML page for editors later.
package glossary

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Entry is one stored glossary entry.
type Entry struct {
	ID          int64
	Headword    string // in Key form
	Lang        string // BCP 47, canonical ("ko", "zh-Hant")
	Translation string
	Note        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Input is an entry as an editor or an import file gives it.
type Input struct {
	Headword    string
	Lang        string
	Translation string
	Note        string
}

// Limits on an entry's fields, in characters. A headword is at most as
// long as a dictionary query; FreeDict translations run to a few hundred
// characters, so theirs is generous.
const (
	MaxHeadwordLen    = 100
	MaxLangLen        = 35
	MaxTranslationLen = 2000
	MaxNoteLen        = 2000
)

// Errors with meaning for callers.
var (
	ErrNotFound  = errors.New("glossary entry not found")
	ErrExists    = errors.New("the glossary already has that headword in that language")
	ErrForbidden = errors.New("only editors and admins change the glossary")
)

// ValidationError maps each invalid field to a message a person can act on.
type ValidationError map[string]string

func (v ValidationError) Error() string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + v[k]
	}
	return "glossary: invalid entry: " + strings.Join(parts, "; ")
}

// Normalize returns the input with its headword in Key form, its language
// tag canonical and its text trimmed, or a ValidationError naming every
// field that breaks a rule.
func (in Input) Normalize() (Input, error) {
	v := ValidationError{}
	raw := in.Headword
	in.Headword = Key(in.Headword)
	in.Translation = strings.TrimSpace(norm.NFC.String(in.Translation))
	in.Note = strings.TrimSpace(norm.NFC.String(in.Note))
	switch {
	case badText(raw) != "":
		v["headword"] = badText(raw)
	case in.Headword == "":
		v["headword"] = "is required and must contain a letter or digit"
	case utf8.RuneCountInString(in.Headword) > MaxHeadwordLen:
		v["headword"] = fmt.Sprintf("must be at most %d characters", MaxHeadwordLen)
	}
	lang, err := NormalizeLang(in.Lang)
	if err != nil {
		v["lang"] = err.Error()
	}
	in.Lang = lang
	switch {
	case badText(in.Translation) != "":
		v["translation"] = badText(in.Translation)
	case in.Translation == "":
		v["translation"] = "is required"
	case utf8.RuneCountInString(in.Translation) > MaxTranslationLen:
		v["translation"] = fmt.Sprintf("must be at most %d characters", MaxTranslationLen)
	}
	switch {
	case badText(in.Note) != "":
		v["note"] = badText(in.Note)
	case utf8.RuneCountInString(in.Note) > MaxNoteLen:
		v["note"] = fmt.Sprintf("must be at most %d characters", MaxNoteLen)
	}
	if len(v) > 0 {
		return in, v
	}
	return in, nil
}

// badText says what is wrong with text that no field may hold: invalid
// UTF-8, or control characters (a tab or newline included: every field is
// one line, in the pop-up and in a CSV export).
func badText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text"
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return fmt.Sprintf("must not contain control characters (found %U)", r)
		}
	}
	return ""
}

var quoteFolder = strings.NewReplacer("’", "'", "‘", "'", "‛", "'", "′", "'", "“", `"`, "”", `"`, "‐", "-", "‑", "-")

// Key is the form of a headword that entries are stored and found under:
// Unicode NFC, curly quotes made straight, lower case, runs of spaces made
// one, and leading and trailing punctuation removed. A query is looked up
// by its Key, so "Denuclearization," finds "denuclearization".
func Key(s string) string {
	s = strings.ToLower(quoteFolder.Replace(norm.NFC.String(s)))
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// NormalizeLang checks a BCP 47 language tag ("ko", "ko-KR", "zh-Hant")
// and returns its canonical spelling.
func NormalizeLang(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("is required: a BCP 47 language tag such as ko or en")
	}
	if len(s) > MaxLangLen {
		return "", fmt.Errorf("must be a BCP 47 language tag of at most %d characters, such as ko", MaxLangLen)
	}
	tag, err := language.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q is not a BCP 47 language tag such as ko or en", s)
	}
	first, _, _ := strings.Cut(s, "-")
	if _, conf := tag.Base(); conf == language.No || strings.EqualFold(first, "und") {
		return "", fmt.Errorf("%q names no known language; use a tag such as ko or en", s)
	}
	return tag.String(), nil
}
