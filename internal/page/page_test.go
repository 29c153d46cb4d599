package page

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	p := Page{Slug: "standards-board-policy", Title: " Standards Board Policy ", Body: "1. Be kind."}
	if f := p.Normalize(); len(f) != 0 || p.Title != "Standards Board Policy" {
		t.Errorf("Normalize = %v, %+v", f, p)
	}
	for field, bad := range map[string]Page{
		"slug":  {Slug: "Bad Slug", Title: "T", Body: "b"},
		"title": {Slug: "a", Title: "two\nlines", Body: "b"},
		"body":  {Slug: "a", Title: "T", Body: strings.Repeat("x", MaxBody+1)},
	} {
		if f := bad.Normalize(); f[field] == "" {
			t.Errorf("%+v: fields %v lack %q", bad.Slug, f, field)
		}
	}
}
