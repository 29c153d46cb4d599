package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"broadsheet/internal/account"
	"broadsheet/internal/media"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

var _ media.Store = (*store.DB)(nil)

func testImage(key string, createdBy int64, at time.Time) media.Image {
	return media.Image{Key: key, Ext: "jpg", Width: 1000, Height: 500, Widths: []int{320, 640, 960},
		ContentType: "image/jpeg", Bytes: 123456, CreatedBy: createdBy, CreatedAt: at}
}

func TestImages_createGetAndList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		s, err := db.EnsureStaff(ctx, account.Staff{Email: "pic@paper.example", Name: "Pic", Role: account.Editor})
		if err != nil {
			t.Fatal(err)
		}
		base := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
		im := testImage("u/aaa", s.ID, base)
		if err := db.CreateImage(ctx, &im); err != nil {
			t.Fatal(err)
		}
		if im.ID == 0 {
			t.Fatal("CreateImage set no id")
		}
		got, err := db.Image(ctx, im.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(im, got); diff != "" {
			t.Errorf("stored image differs (-want +got):\n%s", diff)
		}
		got, err = db.ImageByKey(ctx, "u/aaa")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(im, got); diff != "" {
			t.Errorf("image by key differs (-want +got):\n%s", diff)
		}
		if _, err := db.Image(ctx, im.ID+100); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("missing id: got %v, want media.ErrNotFound", err)
		}
		if _, err := db.ImageByKey(ctx, "u/nope"); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("missing key: got %v, want media.ErrNotFound", err)
		}
		dup := testImage("u/aaa", s.ID, base)
		if err := db.CreateImage(ctx, &dup); err == nil {
			t.Error("a second image with the same key: got no error")
		}
		anon := testImage("u/bbb", 0, base.Add(time.Minute))
		anon.Ext, anon.ContentType, anon.Widths = "png", "image/png", []int{200}
		if err := db.CreateImage(ctx, &anon); err != nil {
			t.Fatalf("an image by no one: %v", err)
		}
		if got, err := db.Image(ctx, anon.ID); err != nil || got.CreatedBy != 0 || fmt.Sprint(got.Widths) != "[200]" {
			t.Errorf("image by no one: got %+v, %v", got, err)
		}

		// Same time as u/bbb: the later id comes first.
		third := testImage("u/ccc", s.ID, base.Add(time.Minute))
		if err := db.CreateImage(ctx, &third); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name          string
			limit, offset int
			want          []string
		}{
			{"all", 0, 0, []string{"u/ccc", "u/bbb", "u/aaa"}},
			{"first page", 2, 0, []string{"u/ccc", "u/bbb"}},
			{"second page", 2, 2, []string{"u/aaa"}},
			{"past the end", 2, 4, nil},
		}
		for _, tt := range tests {
			list, err := db.Images(ctx, tt.limit, tt.offset)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var keys []string
			for _, im := range list {
				keys = append(keys, im.Key)
			}
			if diff := cmp.Diff(tt.want, keys); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.name, diff)
			}
		}
	})
}
