package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"broadsheet/internal/glossary"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

func glossaryEntry(headword, lang, translation string) glossary.Entry {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	return glossary.Entry{Headword: headword, Lang: lang, Translation: translation, CreatedAt: now, UpdatedAt: now}
}

func headwords(entries []glossary.Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Headword+"/"+e.Lang)
	}
	return out
}

func TestGlossary_createGetUpdateDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		en := glossaryEntry("denuclearization", "ko", "비핵화")
		en.Note = "Used of the Korean Peninsula."
		if err := db.CreateGlossaryEntry(ctx, &en); err != nil {
			t.Fatal(err)
		}
		got, err := db.GlossaryEntry(ctx, en.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(en, got); diff != "" {
			t.Errorf("stored entry differs (-want +got):\n%s", diff)
		}
		dup := glossaryEntry("denuclearization", "ko", "핵 폐기")
		if err := db.CreateGlossaryEntry(ctx, &dup); !errors.Is(err, glossary.ErrExists) {
			t.Errorf("same headword and language again: got %v, want ErrExists", err)
		}
		other := glossaryEntry("denuclearization", "ja", "非核化")
		if err := db.CreateGlossaryEntry(ctx, &other); err != nil {
			t.Errorf("same headword in another language: %v, want it stored", err)
		}
		other.Lang = "ko"
		if err := db.UpdateGlossaryEntry(ctx, &other); !errors.Is(err, glossary.ErrExists) {
			t.Errorf("update onto a taken headword and language: got %v, want ErrExists", err)
		}
		en.Translation, en.UpdatedAt = "한반도 비핵화", en.UpdatedAt.Add(time.Hour)
		if err := db.UpdateGlossaryEntry(ctx, &en); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.GlossaryEntry(ctx, en.ID); got.Translation != "한반도 비핵화" || !got.UpdatedAt.Equal(en.UpdatedAt) {
			t.Errorf("after update: got %q at %v, want the new translation and time", got.Translation, got.UpdatedAt)
		}
		if err := db.DeleteGlossaryEntry(ctx, en.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.GlossaryEntry(ctx, en.ID); !errors.Is(err, glossary.ErrNotFound) {
			t.Errorf("after delete: got %v, want ErrNotFound", err)
		}
		if err := db.DeleteGlossaryEntry(ctx, en.ID); !errors.Is(err, glossary.ErrNotFound) {
			t.Errorf("delete twice: got %v, want ErrNotFound", err)
		}
		missing := glossaryEntry("x", "ko", "y")
		missing.ID = 9999
		if err := db.UpdateGlossaryEntry(ctx, &missing); !errors.Is(err, glossary.ErrNotFound) {
			t.Errorf("update of a missing entry: got %v, want ErrNotFound", err)
		}
	})
}

func seedGlossary(t *testing.T, db *store.DB, entries ...glossary.Entry) {
	t.Helper()
	for i := range entries {
		if err := db.CreateGlossaryEntry(context.Background(), &entries[i]); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGlossary_lookupAndList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		seedGlossary(t, db,
			glossaryEntry("sanction", "ko", "제재"), glossaryEntry("sanction", "ja", "制裁"),
			glossaryEntry("sanctions relief", "ko", "제재 완화"), glossaryEntry("san", "ko", "산"),
			glossaryEntry("denuclearization", "ko", "비핵화"), glossaryEntry("zeitgeist", "de", "Zeitgeist"),
		)
		got, err := db.GlossaryLookup(ctx, []string{"sanctions", "sanction"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"sanction/ja", "sanction/ko"}, headwords(got)); diff != "" {
			t.Errorf("lookup sanctions|sanction (-want +got):\n%s", diff)
		}
		if got, err := db.GlossaryLookup(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("lookup of nothing: got %v, %v; want none", got, err)
		}

		tests := []struct {
			name string
			q    glossary.ListQuery
			want []string
		}{
			{"all", glossary.ListQuery{}, []string{"denuclearization/ko", "san/ko", "sanction/ja", "sanction/ko", "sanctions relief/ko", "zeitgeist/de"}},
			{"prefix", glossary.ListQuery{Prefix: "sanc"}, []string{"sanction/ja", "sanction/ko", "sanctions relief/ko"}},
			{"prefix and language", glossary.ListQuery{Prefix: "san", Lang: "ko"}, []string{"san/ko", "sanction/ko", "sanctions relief/ko"}},
			{"first page", glossary.ListQuery{Limit: 2}, []string{"denuclearization/ko", "san/ko"}},
			{"after a headword, same headword in a later language", glossary.ListQuery{After: glossary.Cursor{Headword: "sanction", Lang: "ja"}, Limit: 2},
				[]string{"sanction/ko", "sanctions relief/ko"}},
			{"nothing matches", glossary.ListQuery{Prefix: "qq"}, nil},
		}
		for _, tt := range tests {
			got, err := db.GlossaryEntries(ctx, tt.q)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.want, headwords(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.name, diff)
			}
		}

		var exported []string
		if err := db.EachGlossaryEntry(ctx, func(e glossary.Entry) error {
			exported = append(exported, e.Headword+"/"+e.Lang)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(exported) != 6 || exported[0] != "denuclearization/ko" {
			t.Errorf("export order: got %q, want all six by headword", exported)
		}
	})
}

func TestGlossary_importAddsUpdatesAndIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		seedGlossary(t, db, glossaryEntry("sanction", "ko", "제재"), glossaryEntry("summit", "ko", "정상회담"))
		res, err := db.ImportGlossary(ctx, []glossary.Entry{
			glossaryEntry("denuclearization", "ko", "비핵화"),
			glossaryEntry("sanction", "ko", "제재 조치"),
			glossaryEntry("summit", "ko", "정상회담"),
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := (glossary.ImportResult{Added: 1, Updated: 1, Unchanged: 1}); res != want {
			t.Errorf("import result: got %+v, want %+v", res, want)
		}
		if got, _ := db.GlossaryLookup(ctx, []string{"sanction"}); len(got) != 1 || got[0].Translation != "제재 조치" {
			t.Errorf("sanction after import: got %+v, want the new translation", got)
		}

		// The second entry breaks a CHECK constraint: the first must not stay.
		_, err = db.ImportGlossary(ctx, []glossary.Entry{glossaryEntry("ceasefire", "ko", "휴전"), glossaryEntry("", "ko", "빈")})
		if err == nil {
			t.Fatal("import with an empty headword: got no error")
		}
		if got, _ := db.GlossaryLookup(ctx, []string{"ceasefire"}); len(got) != 0 {
			t.Errorf("after a failed import: got %+v stored, want nothing", got)
		}
	})
}
