package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"broadsheet/internal/reader"
	"broadsheet/internal/redirect"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

func TestRedirects_saveLookUpListDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		for i := 0; i < 25; i++ {
			r := redirect.Redirect{From: fmt.Sprintf("/old/%02d/", i), To: fmt.Sprintf("/article/%d/x", i), Source: "wordpress", CreatedAt: at}
			if err := r.Normalize(); err != nil {
				t.Fatal(err)
			}
			if err := db.SaveRedirect(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		// Saving from the same address again replaces the target.
		if err := db.SaveRedirect(ctx, redirect.Redirect{From: "/old/03", To: "/article/99/y", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		if to, err := db.RedirectTarget(ctx, "/old/03"); err != nil || to != "/article/99/y" {
			t.Errorf("look-up: got %q, %v", to, err)
		}
		if _, err := db.RedirectTarget(ctx, "/old/nothing"); !errors.Is(err, redirect.ErrNotFound) {
			t.Errorf("look-up of a missing address: got %v", err)
		}
		first, err := db.Redirects(ctx, "", 10)
		if err != nil || len(first) != 10 || first[0].From != "/old/00" || !first[0].CreatedAt.Equal(at) || first[0].Source != "wordpress" {
			t.Fatalf("first page: got %+v, %v", first, err)
		}
		rest, err := db.Redirects(ctx, first[9].From, 100)
		if err != nil || len(rest) != 15 || rest[0].From != "/old/10" {
			t.Errorf("second page: got %d from %v, %v", len(rest), rest, err)
		}
		if err := db.DeleteRedirect(ctx, "/old/00"); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteRedirect(ctx, "/old/00"); !errors.Is(err, redirect.ErrNotFound) {
			t.Errorf("deleting twice: got %v", err)
		}
		if n, err := db.CountRedirects(ctx); err != nil || n != 24 {
			t.Errorf("count: got %d, %v", n, err)
		}
	})
}

func TestRedirects_joinTheCallersTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		boom := errors.New("boom")
		err := db.InTx(ctx, func(ctx context.Context) error {
			if err := db.SaveRedirect(ctx, redirect.Redirect{From: "/gone", To: "/page/about"}); err != nil {
				return err
			}
			if err := db.SetImportID(ctx, "wordpress", "article", "7", 1, "h"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if _, err := db.RedirectTarget(ctx, "/gone"); !errors.Is(err, redirect.ErrNotFound) {
			t.Errorf("a redirect outlived its rolled-back transaction: %v", err)
		}
		if _, _, found, err := db.ImportID(ctx, "wordpress", "article", "7"); found || err != nil {
			t.Errorf("an import id outlived its rolled-back transaction: %v %v", found, err)
		}
	})
}

func TestImportReader_neverSignsIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		if _, err := db.ImportReader(ctx, "google", "x", "Someone", time.Now()); err == nil {
			t.Errorf("an imported reader with a login provider was made")
		}
		id, err := db.ImportReader(ctx, "import:wordpress", "email:a@b.example", "A", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		again, err := db.ImportReader(ctx, "import:wordpress", "email:a@b.example", "A B", time.Now())
		if err != nil || again != id {
			t.Errorf("the same commenter again: got %d, %v; want %d", again, err, id)
		}
		s := reader.Session{TokenHash: "h", ReaderID: id, CSRF: "c", CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
		if err := db.CreateSession(ctx, s); !errors.Is(err, store.ErrImportedReader) {
			t.Errorf("a session for an imported commenter: got %v", err)
		}
		real, err := db.SignInReader(ctx, reader.Reader{Provider: "google", Subject: "s1", DisplayName: "Real"})
		if err != nil {
			t.Fatal(err)
		}
		s.ReaderID, s.TokenHash = real.ID, "h2"
		if err := db.CreateSession(ctx, s); err != nil {
			t.Errorf("a session for a reader who logged in: %v", err)
		}
	})
}

// FindRedirects searches both addresses, in any case, with the LIKE
// wildcards a person types taken as text.
func TestRedirects_find(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		for _, r := range []redirect.Redirect{
			{From: "/2019/03/Budget-vote", To: "/article/1/budget"},
			{From: "/2019/04/voices", To: "/article/2/voices"},
			{From: "/50%25-off", To: "/article/3/sale"},
			{From: "/50x-off", To: "/article/4/other"},
		} {
			r.CreatedAt = at
			if err := r.Normalize(); err != nil {
				t.Fatal(err)
			}
			if err := db.SaveRedirect(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		for q, want := range map[string]int{"": 4, "budget": 1, "2019/0": 2, "article/2": 1, "%25": 1, "_": 0, "nothing": 0} {
			got, err := db.FindRedirects(ctx, q, "", 10)
			if err != nil || len(got) != want {
				t.Errorf("find %q: got %d %v, %v; want %d", q, len(got), got, err, want)
			}
		}
		page, err := db.FindRedirects(ctx, "2019", "/2019/03/Budget-vote", 10)
		if err != nil || len(page) != 1 || page[0].From != "/2019/04/voices" {
			t.Errorf("after: got %v, %v", page, err)
		}
	})
}
