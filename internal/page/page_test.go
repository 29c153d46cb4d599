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

func TestNormalize_koreanTitle(t *testing.T) {
	p := Page{Slug: "about", Title: "About", TitleKo: " 소개 ", Body: "b"}
	if f := p.Normalize(); len(f) != 0 || p.TitleKo != "소개" {
		t.Errorf("Normalize = %v, TitleKo %q", f, p.TitleKo)
	}
	for _, bad := range []string{strings.Repeat("가", 201), "소\n개"} {
		p := Page{Slug: "about", Title: "About", TitleKo: bad, Body: "b"}
		if f := p.Normalize(); f["title_ko"] == "" {
			t.Errorf("TitleKo %.20q: fields %v lack title_ko", bad, f)
		}
	}
	if got := (Page{Title: "About", TitleKo: "소개"}).TitleIn("ko"); got != "소개" {
		t.Errorf("TitleIn(ko) = %q", got)
	}
	if got := (Page{Title: "About"}).TitleIn("ko"); got != "About" {
		t.Errorf("TitleIn(ko) without a Korean title = %q", got)
	}
}
