package demo

import (
	"context"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"broadsheet/internal/store/storetest"
)

// The demo paper has a Korean edition: every section has a Korean name
// and every static page a Korean title, all in Hangul, and they are
// stored by the load.
func TestLoad_givesKoreanNames(t *testing.T) {
	ctx := context.Background()
	db := storetest.Engines(t)[0].Open(t)
	if _, err := Load(ctx, db, t.TempDir(), time.Now()); err != nil {
		t.Fatal(err)
	}
	secs, err := db.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secs {
		if !hangul(s.NameKo) {
			t.Errorf("section %s: Korean name %q, want one in Hangul", s.Path, s.NameKo)
		}
	}
	pgs, err := db.Pages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(pgs) == 0 {
		t.Fatal("the demo has no static pages")
	}
	for _, p := range pgs {
		if !hangul(p.TitleKo) {
			t.Errorf("page %s: Korean title %q, want one in Hangul", p.Slug, p.TitleKo)
		}
	}
}

func hangul(s string) bool {
	return s != "" && strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Hangul, r) })
}

// Tags are written as they are in running text: a word is capitalised in
// a tag when the demo's articles capitalise it mid-sentence (North Korea,
// Busan), and lower-case when they write it so (climate, heat wave). One
// tag in two cases would read as two topics beside each other.
func TestDemoTags_caseAsInTheArticles(t *testing.T) {
	files, err := fs.Glob(content, "content/articles/*.md")
	if err != nil {
		t.Fatal(err)
	}
	var bodies strings.Builder
	tags := map[string]bool{}
	for _, f := range files {
		head, body, err := readDoc(f)
		if err != nil {
			t.Fatal(err)
		}
		bodies.WriteString(body)
		for _, tag := range splitList(head["tags"]) {
			tags[tag] = true
		}
	}
	text := bodies.String()
	checked := 0
	seen := map[string]string{}
	for tag := range tags {
		if other, ok := seen[strings.ToLower(tag)]; ok {
			t.Errorf("tag %q also written %q", tag, other)
		}
		seen[strings.ToLower(tag)] = tag
		// The tag as a phrase after a lower-case word: the start of a
		// sentence or line says nothing of its case.
		re := regexp.MustCompile(`[a-z,;]\s+((?i:` + regexp.QuoteMeta(tag) + `))\b`)
		upper, lower := 0, 0
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			if unicode.IsUpper(rune(m[1][0])) {
				upper++
			} else {
				lower++
			}
		}
		if upper+lower == 0 {
			continue
		}
		checked++
		if capital, want := unicode.IsUpper(rune(tag[0])), upper > lower; capital != want {
			t.Errorf("tag %q: capitalised %d times and lower-case %d times in the articles", tag, upper, lower)
		}
	}
	if checked < len(tags)/2 {
		t.Errorf("only %d of %d tags found in the articles: the test checks too little", checked, len(tags))
	}
}
