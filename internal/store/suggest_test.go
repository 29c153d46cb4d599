package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/store/storetest"
)

func TestAuthorSuggestions_prefixFirstAndWildcardsLiteral(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		for _, a := range []author.Author{
			{Name: "Jimin Park", Email: "jimin@paper.example"},
			{Name: "Park Jimin", Email: "pj@paper.example"},
			{Name: "Kim 50% Lee", Email: "odd@paper.example"},
			{Name: "Kim 500 Lee", Email: "kim500@paper.example"},
		} {
			if err := db.SaveAuthor(ctx, &a); err != nil {
				t.Fatal(err)
			}
		}
		names := func(q string, limit int) []string {
			t.Helper()
			list, err := db.AuthorSuggestions(ctx, q, limit)
			if err != nil {
				t.Fatal(err)
			}
			out := []string{}
			for _, a := range list {
				out = append(out, a.Name)
			}
			return out
		}
		for _, c := range []struct {
			q     string
			limit int
			want  []string
		}{
			{"PARK", 20, []string{"Park Jimin", "Jimin Park"}}, // starts the name first, case ignored
			{"pj@", 20, []string{"Park Jimin"}},                // by email
			{"50%", 20, []string{"Kim 50% Lee"}},               // % is a character, not a wildcard
			{"m_5", 20, []string{}},                            // _ too
			{"", 2, []string{"Jimin Park", "Kim 50% Lee"}},     // nothing typed: the first by name, bounded
		} {
			if diff := cmp.Diff(c.want, names(c.q, c.limit)); diff != "" {
				t.Errorf("q %q (-want +got):\n%s", c.q, diff)
			}
		}
	})
}

func TestTagSuggestions_prefixThenMostUsed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		when := time.Date(2026, 11, 2, 3, 4, 5, 0, time.UTC)
		by := author.Author{Name: "Kim", Email: "kim@paper.example"}
		tagged := func(headline string, tags ...string) {
			a := newArticle(politics.ID, headline, when, by)
			a.Tags = nil
			for _, n := range tags {
				a.Tags = append(a.Tags, article.Tag{Name: n, Slug: article.Slugify(n)})
			}
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		tagged("One", "Housing", "Elections", "Local elections")
		tagged("Two", "Local elections", "Housing")
		tagged("Three", "Local elections")
		// Uses before since are not counted: Elections would otherwise
		// come first among the tags nothing was typed for.
		when = when.AddDate(0, -6, 0)
		tagged("Old one", "Elections")
		tagged("Old two", "Elections")
		tagged("Old three", "Elections")
		since := when.AddDate(0, 0, 1)
		got, err := db.TagSuggestions(ctx, "ELEC", since, 20)
		if err != nil {
			t.Fatal(err)
		}
		// "Elections" starts with the text; "Local elections" is used more
		// but only holds it.
		if diff := cmp.Diff([]string{"Elections", "Local elections"}, got); diff != "" {
			t.Errorf("q ELEC (-want +got):\n%s", diff)
		}
		got, err = db.TagSuggestions(ctx, "", since, 2)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"Local elections", "Housing"}, got); diff != "" {
			t.Errorf("nothing typed: most used first (-want +got):\n%s", diff)
		}
	})
}
