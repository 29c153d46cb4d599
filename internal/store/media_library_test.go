package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/media"
	"broadsheet/internal/page"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

var _ media.CatalogStore = (*store.DB)(nil)

func imageKeys(ims []media.Image) []string {
	out := make([]string, len(ims))
	for i, im := range ims {
		out[i] = im.Key
	}
	return out
}

func TestImages_searchAndPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		base := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
		add := func(key string, minute int, d media.Details) {
			im := testImage(key, 0, base.Add(time.Duration(minute)*time.Minute))
			im.Details = d
			if err := db.CreateImage(ctx, &im); err != nil {
				t.Fatal(err)
			}
		}
		add("u/a1", 1, media.Details{Alt: "Harbour cranes at dawn", Caption: "The new quay", Credit: "Mina Park"})
		add("u/a2", 2, media.Details{Alt: "Council chamber", Caption: "Members vote on the HARBOUR budget", Credit: "Jun Lee"})
		add("u/a3", 3, media.Details{Alt: "서울 시청 앞 광장", Caption: "시민들이 모였다", Credit: "박민아"})
		add("u/a4", 4, media.Details{Alt: "100% cotton banner", Caption: "under_score", Credit: "Staff"})

		for _, c := range []struct {
			text string
			want []string
		}{
			{"", []string{"u/a4", "u/a3", "u/a2", "u/a1"}},
			{"harbour", []string{"u/a2", "u/a1"}}, // caption and alt, any case
			{"jun lee", []string{"u/a2"}},         // credit
			{"광장", []string{"u/a3"}},
			{"%", []string{"u/a4"}}, // wildcards are taken literally
			{"_", []string{"u/a4"}},
			{"nothing like it", nil},
		} {
			got, err := db.SearchImages(ctx, media.ListQuery{Text: c.text})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(imageKeys(got)) != fmt.Sprint(c.want) {
				t.Errorf("search %q: got %v, want %v", c.text, imageKeys(got), c.want)
			}
		}
		got, err := db.SearchImages(ctx, media.ListQuery{Limit: 2, Offset: 1})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(imageKeys(got)) != "[u/a3 u/a2]" {
			t.Errorf("second page of two: got %v", imageKeys(got))
		}
	})
}

func TestImages_detailsAndDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		im := testImage("u/b1", 0, time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC))
		if err := db.CreateImage(ctx, &im); err != nil {
			t.Fatal(err)
		}
		d := media.Details{Alt: "A gull", Caption: "On the pier", Credit: "Staff"}
		if err := db.SetImageDetails(ctx, im.ID, d); err != nil {
			t.Fatal(err)
		}
		got, err := db.Image(ctx, im.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Details != d {
			t.Errorf("details: got %+v, want %+v", got.Details, d)
		}
		if err := db.SetImageDetails(ctx, im.ID+99, d); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("details of a missing image: got %v, want ErrNotFound", err)
		}
		err = db.InTx(ctx, func(ctx context.Context) error {
			if _, err := db.LockImage(ctx, im.ID); err != nil {
				return err
			}
			return db.DeleteImage(ctx, im.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Image(ctx, im.ID); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("after delete: got %v, want ErrNotFound", err)
		}
		if err := db.DeleteImage(ctx, im.ID); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("second delete: got %v, want ErrNotFound", err)
		}
		if _, err := db.LockImage(ctx, im.ID); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("lock of a deleted image: got %v, want ErrNotFound", err)
		}
	})
}

func TestImages_uses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		s, err := db.EnsureStaff(ctx, account.Staff{Email: "pic@paper.example", Name: "Pic", Role: account.Editor})
		if err != nil {
			t.Fatal(err)
		}
		base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		by := author.Author{Name: "Mina Park", Email: "mina@paper.example"}
		lead := newArticle(politics.ID, "Lead image story", base, by)
		lead.LeadImage = article.Image{URL: "/media/u/c1/1280.jpg", Alt: "x"}
		inBody := newArticle(politics.ID, "Body figure story", base.Add(time.Hour), by)
		inBody.Body = "Text.\n\n![A gull](https://paper.example/media/u/c1/640.jpg \"Caption | Credit\")\n"
		other := newArticle(politics.ID, "Other image story", base.Add(2*time.Hour), by)
		other.Body = "![x](/media/u/c10/640.jpg)" // a key that starts like c1's is not c1
		for _, a := range []*article.Article{lead, inBody, other} {
			a.CreatedBy = s.ID
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		pg := &page.Page{Slug: "about", Title: "About us", Body: "![Our office](/media/u/c1/320.jpg)", BodyHTML: "<p></p>", UpdatedAt: base}
		if err := db.SavePage(ctx, pg); err != nil {
			t.Fatal(err)
		}
		uses, err := db.ImageUses(ctx, "u/c1", 10)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("[{article %d Body figure story published %d} {article %d Lead image story published %d} {page %d About us  0}]", inBody.ID, s.ID, lead.ID, s.ID, pg.ID)
		if fmt.Sprint(uses) != want {
			t.Errorf("uses of u/c1:\n got %v\nwant %s", uses, want)
		}
		counts, err := db.ImageUseCounts(ctx, []string{"u/c1", "u/c10", "u/unused"})
		if err != nil || fmt.Sprint(counts) != "map[u/c1:3 u/c10:1 u/unused:0]" {
			t.Errorf("use counts: got %v, %v", counts, err)
		}
		if uses, err := db.ImageUses(ctx, "u/c1", 1); err != nil || len(uses) != 1 {
			t.Errorf("uses limited to 1: got %v, %v", uses, err)
		}
	})
}
