package newsroom

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

var cssClass = regexp.MustCompile(`\.([a-zA-Z][a-zA-Z0-9_-]*)`)

// Every class media.css styles is drawn by a template or set by a
// script: rules for markup that is gone only weigh the stylesheet down.
func TestMediaCSS_everyClassIsUsed(t *testing.T) {
	css, err := fs.ReadFile(staticFS, "static/media.css")
	if err != nil {
		t.Fatal(err)
	}
	var markup strings.Builder
	for _, pattern := range []string{"templates/*.html", "static/*.js"} {
		var fsys fs.FS = templateFS
		if strings.HasPrefix(pattern, "static/") {
			fsys = staticFS
		}
		names, err := fs.Glob(fsys, pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			b, err := fs.ReadFile(fsys, n)
			if err != nil {
				t.Fatal(err)
			}
			markup.Write(b)
		}
	}
	// Comments and the numbers of declarations (0.5rem) are not classes.
	text := regexp.MustCompile(`(?s)/\*.*?\*/|\{[^}]*\}`).ReplaceAllString(string(css), "{}")
	for _, m := range cssClass.FindAllStringSubmatch(text, -1) {
		if !strings.Contains(markup.String(), m[1]) {
			t.Errorf("media.css styles .%s, which no template or script uses", m[1])
		}
	}
}
