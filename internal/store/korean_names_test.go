package store_test

import (
	"context"
	"testing"
	"time"

	"broadsheet/internal/page"
	"broadsheet/internal/section"
	"broadsheet/internal/store/storetest"
)

// A section's Korean name is stored by every way a section is written
// (created, renamed in place, moved) and read back by every way one is
// read, on both engines.
func TestSectionKoreanName_roundTrips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		db, ctx := e.Open(t), context.Background()
		world := section.Section{Slug: "world", Name: "World", NameKo: "국제"}
		if err := db.CreateSection(ctx, &world); err != nil {
			t.Fatal(err)
		}
		asia := section.Section{Slug: "asia", Name: "Asia", ParentID: world.ID}
		if err := db.CreateSection(ctx, &asia); err != nil {
			t.Fatal(err)
		}
		read := func(id int64, path string) []section.Section {
			t.Helper()
			byID, err := db.SectionByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			byPath, err := db.SectionByPath(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			all, err := db.Sections(ctx)
			if err != nil {
				t.Fatal(err)
			}
			inList, _ := section.NewTree(all).ByID(id)
			return []section.Section{byID, byPath, inList}
		}
		for _, s := range read(world.ID, "world") {
			if s.NameKo != "국제" {
				t.Errorf("created: got NameKo %q, want %q", s.NameKo, "국제")
			}
		}
		for _, s := range read(asia.ID, "world/asia") {
			if s.NameKo != "" {
				t.Errorf("created without one: got NameKo %q, want empty", s.NameKo)
			}
		}
		asia.NameKo = "아시아"
		if err := db.UpdateSection(ctx, asia); err != nil {
			t.Fatal(err)
		}
		for _, s := range read(asia.ID, "world/asia") {
			if s.NameKo != "아시아" {
				t.Errorf("updated: got NameKo %q, want %q", s.NameKo, "아시아")
			}
		}
		asia.ParentID, asia.NameKo = 0, "아시아·태평양"
		if err := db.EditSection(ctx, &asia); err != nil {
			t.Fatal(err)
		}
		for _, s := range read(asia.ID, "asia") {
			if s.NameKo != "아시아·태평양" || s.Name != "Asia" {
				t.Errorf("moved: got %q / %q, want %q / %q", s.Name, s.NameKo, "Asia", "아시아·태평양")
			}
		}
	})
}

// A static page's Korean title is stored by create, update and save
// (the demo's upsert), and read back by id, by slug and in the list.
func TestPageKoreanTitle_roundTrips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		db, ctx := e.Open(t), context.Background()
		now := time.Now().UTC().Truncate(time.Millisecond)
		check := func(when string, id int64, slug, want string) {
			t.Helper()
			byID, err := db.PageByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			bySlug, err := db.PageBySlug(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			all, err := db.Pages(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var inList page.Page
			for _, p := range all {
				if p.ID == id {
					inList = p
				}
			}
			for _, got := range []string{byID.TitleKo, bySlug.TitleKo, inList.TitleKo} {
				if got != want {
					t.Errorf("%s: got TitleKo %q, want %q", when, got, want)
				}
			}
		}
		p := page.Page{Slug: "about", Title: "About", TitleKo: "소개", Body: "b", BodyHTML: "<p>b</p>", UpdatedAt: now}
		if err := db.CreatePage(ctx, &p); err != nil {
			t.Fatal(err)
		}
		check("created", p.ID, "about", "소개")
		p.TitleKo = "신문 소개"
		if err := db.UpdatePage(ctx, p); err != nil {
			t.Fatal(err)
		}
		check("updated", p.ID, "about", "신문 소개")
		s := page.Page{Slug: "about", Title: "About", TitleKo: "", Body: "b", BodyHTML: "<p>b</p>", UpdatedAt: now}
		if err := db.SavePage(ctx, &s); err != nil {
			t.Fatal(err)
		}
		check("saved over", p.ID, "about", "")
	})
}
