package article

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Change is one run of text in a comparison: kept, added or removed.
type Change struct {
	Kind string // "same", "added" or "removed"
	Text string
}

// FieldDiff is the comparison of one field between two revisions.
type FieldDiff struct {
	Field   string // "headline", "body", ...
	Changes []Change
}

// Diff compares two snapshots field by field and returns the fields that
// differ, each as runs of kept, added and removed text cleaned up to word
// and sentence boundaries, so an editor reads it like a marked-up page.
func Diff(from, to Snapshot) []FieldDiff {
	fields := []struct{ name, a, b string }{
		{"headline", from.Headline, to.Headline},
		{"deck", from.Deck, to.Deck},
		{"body", from.Body, to.Body},
		{"slug", from.Slug, to.Slug},
		{"authors", bylines(from.Authors), bylines(to.Authors)},
		{"tags", strings.Join(from.Tags, ", "), strings.Join(to.Tags, ", ")},
		{"lead_image", imageText(from.LeadImage), imageText(to.LeadImage)},
		{"seo_title", from.SEOTitle, to.SEOTitle},
		{"seo_description", from.SEODescription, to.SEODescription},
		{"status", string(from.Status), string(to.Status)},
	}
	if !slices.Equal(from.AlsoIn, to.AlsoIn) {
		fields = append(fields, struct{ name, a, b string }{"also_in", sectionsText(from.AlsoIn), sectionsText(to.AlsoIn)})
	}
	if from.SectionID != to.SectionID {
		fields = append(fields, struct{ name, a, b string }{"section", sectionText(from.SectionID), sectionText(to.SectionID)})
	}
	dmp := diffmatchpatch.New()
	var out []FieldDiff
	for _, f := range fields {
		if f.a == f.b {
			continue
		}
		diffs := wordDiff(dmp, f.a, f.b)
		fd := FieldDiff{Field: f.name}
		for _, d := range diffs {
			kind := "same"
			switch d.Type {
			case diffmatchpatch.DiffInsert:
				kind = "added"
			case diffmatchpatch.DiffDelete:
				kind = "removed"
			}
			fd.Changes = append(fd.Changes, Change{Kind: kind, Text: d.Text})
		}
		out = append(out, fd)
	}
	return out
}

// wordDiff compares two texts word by word: each word, run of spaces or
// punctuation mark becomes one symbol, the symbols are compared, and the
// result is turned back into text. An editor then sees "repairs" replaced
// by "two weeks", not "repair" by "two week" with an "s" kept.
func wordDiff(dmp *diffmatchpatch.DiffMatchPatch, a, b string) []diffmatchpatch.Diff {
	tokens := []string{""} // index 0 is unused: it would encode as NUL
	index := map[string]int{}
	encode := func(s string) []rune {
		var out []rune
		for _, tok := range splitWords(s) {
			i, ok := index[tok]
			if !ok {
				i = len(tokens)
				tokens = append(tokens, tok)
				index[tok] = i
			}
			out = append(out, rune(i))
		}
		return out
	}
	ra, rb := encode(a), encode(b)
	if len(tokens) >= 0xD800 {
		// Symbols past this would fall among the UTF-16 surrogates, which
		// do not survive the trip through strings: compare characters.
		return dmp.DiffCleanupSemantic(dmp.DiffMain(a, b, false))
	}
	diffs := dmp.DiffMainRunes(ra, rb, false)
	diffs = dmp.DiffCharsToLines(diffs, tokens)
	return dmp.DiffCleanupSemantic(diffs)
}

// splitWords cuts text into words (letters and digits), runs of spaces,
// and single other characters.
func splitWords(s string) []string {
	var out []string
	start := 0
	kind := func(r rune) int {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return 1
		case unicode.IsSpace(r):
			return 2
		}
		return 3
	}
	prev := 0
	for i, r := range s {
		k := kind(r)
		if i > start && (k != prev || k == 3) {
			out = append(out, s[start:i])
			start = i
		}
		prev = k
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func bylines(bs []Byline) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = b.Name + " <" + b.Email + ">"
	}
	return strings.Join(parts, ", ")
}

func imageText(im Image) string {
	if im.URL == "" {
		return ""
	}
	return im.URL + "\nalt: " + im.Alt + "\ncaption: " + im.Caption + "\ncredit: " + im.Credit
}

func sectionsText(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = sectionText(id)
	}
	return strings.Join(parts, ", ")
}

func sectionText(id int64) string {
	return "section #" + strconv.FormatInt(id, 10)
}
