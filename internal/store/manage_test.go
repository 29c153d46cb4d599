package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"broadsheet/internal/author"
	"broadsheet/internal/page"
	"broadsheet/internal/section"
	"broadsheet/internal/store/storetest"
)

// EditSection moves a section and everything under it, or nothing at
// all: a loop or a taken path leaves every path as it was.
func TestEditSection_movesTheSubtreeOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		db, ctx := e.Open(t), context.Background()
		mk := func(slug string, parent int64) section.Section {
			s := section.Section{Slug: slug, Name: slug, ParentID: parent}
			if err := db.CreateSection(ctx, &s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		a := mk("a", 0)
		b := mk("b", a.ID)
		c := mk("c", b.ID)
		other := mk("other", 0)
		mk("b", other.ID) // other/b: moving a/b there is taken

		paths := func() map[int64]string {
			all, err := db.Sections(ctx)
			if err != nil {
				t.Fatal(err)
			}
			m := map[int64]string{}
			for _, s := range all {
				m[s.ID] = s.Path
			}
			return m
		}
		before := paths()
		for _, tc := range []struct {
			what string
			s    section.Section
			want error
		}{
			{"under its grandchild", section.Section{ID: a.ID, Slug: "a", Name: "A", ParentID: c.ID}, section.ErrLoop},
			{"taken path", section.Section{ID: b.ID, Slug: "b", Name: "B", ParentID: other.ID}, section.ErrExists},
			{"unknown parent", section.Section{ID: b.ID, Slug: "b", Name: "B", ParentID: 99999}, section.ErrNotFound},
			{"unknown section", section.Section{ID: 99999, Slug: "z", Name: "Z"}, section.ErrNotFound},
		} {
			s := tc.s
			if err := db.EditSection(ctx, &s); !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", tc.what, err, tc.want)
			}
		}
		if after := paths(); len(after) != len(before) || after[c.ID] != "a/b/c" || after[b.ID] != "a/b" {
			t.Errorf("a refused edit changed paths: %v", after)
		}

		moved := section.Section{ID: b.ID, Slug: "bee", Name: "Bee", Description: "d", Position: 3, ParentID: other.ID}
		if err := db.EditSection(ctx, &moved); err != nil {
			t.Fatal(err)
		}
		if moved.Path != "other/bee" {
			t.Errorf("path %q", moved.Path)
		}
		got, err := db.SectionByID(ctx, b.ID)
		if err != nil || got.Name != "Bee" || got.ParentID != other.ID || got.Position != 3 || got.Description != "d" {
			t.Errorf("moved %+v, %v", got, err)
		}
		if p := paths()[c.ID]; p != "other/bee/c" {
			t.Errorf("child path %q", p)
		}
		top := section.Section{ID: b.ID, Slug: "bee", Name: "Bee"}
		if err := db.EditSection(ctx, &top); err != nil || paths()[c.ID] != "bee/c" {
			t.Errorf("to the top: %v, %v", err, paths())
		}
	})
}

// CreatePage never replaces a page; UpdatePage renames one by id.
func TestCreateAndUpdatePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		db, ctx := e.Open(t), context.Background()
		now := time.Now().UTC().Truncate(time.Millisecond)
		p := page.Page{Slug: "about", Title: "About", Body: "b", BodyHTML: "<p>b</p>", UpdatedAt: now}
		if err := db.CreatePage(ctx, &p); err != nil {
			t.Fatal(err)
		}
		dup := page.Page{Slug: "about", Title: "Other", Body: "x", BodyHTML: "x", UpdatedAt: now}
		if err := db.CreatePage(ctx, &dup); !errors.Is(err, page.ErrExists) {
			t.Errorf("duplicate: %v", err)
		}
		q := page.Page{Slug: "contact", Title: "Contact", Body: "c", BodyHTML: "<p>c</p>", UpdatedAt: now}
		if err := db.CreatePage(ctx, &q); err != nil {
			t.Fatal(err)
		}
		p.Slug, p.Title = "about-us", "About us"
		if err := db.UpdatePage(ctx, p); err != nil {
			t.Fatal(err)
		}
		if got, err := db.PageByID(ctx, p.ID); err != nil || got.Slug != "about-us" || got.Title != "About us" {
			t.Errorf("renamed %+v, %v", got, err)
		}
		q.Slug = "about-us"
		if err := db.UpdatePage(ctx, q); !errors.Is(err, page.ErrExists) {
			t.Errorf("rename onto a taken slug: %v", err)
		}
		if err := db.UpdatePage(ctx, page.Page{ID: 99999, Slug: "x", UpdatedAt: now}); !errors.Is(err, page.ErrNotFound) {
			t.Errorf("unknown page: %v", err)
		}
		if _, err := db.PageByID(ctx, 99999); !errors.Is(err, page.ErrNotFound) {
			t.Errorf("PageByID unknown: %v", err)
		}
	})
}

// An author's photo address is stored, changed and read back.
func TestSaveAuthor_photoURL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		db, ctx := e.Open(t), context.Background()
		a := author.Author{Name: "Photo Person", Email: "photo@paper.example", PhotoURL: "https://img.example/a.jpg"}
		if err := db.SaveAuthor(ctx, &a); err != nil {
			t.Fatal(err)
		}
		a.PhotoURL = "https://img.example/b.jpg"
		if err := db.SaveAuthor(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if got, err := db.AuthorByID(ctx, a.ID); err != nil || got.PhotoURL != "https://img.example/b.jpg" {
			t.Errorf("got %+v, %v", got, err)
		}
	})
}
