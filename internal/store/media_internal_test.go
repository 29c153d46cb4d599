package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/media"
)

// TestImages_staffDeletedKeepsTheImage: an image outlives the staff
// member who uploaded it, with no one as its creator.
func TestImages_staffDeletedKeepsTheImage(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.EnsureStaff(ctx, account.Staff{Email: "gone@paper.example", Name: "Gone", Role: account.Reporter})
	if err != nil {
		t.Fatal(err)
	}
	im := media.Image{Key: "u/ddd", Ext: "jpg", Width: 10, Height: 10, Widths: []int{10}, ContentType: "image/jpeg",
		Bytes: 1, CreatedBy: s.ID, CreatedAt: time.Now()}
	if err := db.CreateImage(ctx, &im); err != nil {
		t.Fatal(err)
	}
	if _, err := db.sql.ExecContext(ctx, `DELETE FROM staff WHERE id = ?`, s.ID); err != nil {
		t.Fatal(err)
	}
	got, err := db.Image(ctx, im.ID)
	if err != nil {
		t.Fatalf("image after its uploader was deleted: %v", err)
	}
	if got.CreatedBy != 0 {
		t.Errorf("CreatedBy: got %d, want 0", got.CreatedBy)
	}
}
