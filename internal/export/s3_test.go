package export_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"broadsheet/internal/export"
	"broadsheet/internal/media"
	"broadsheet/internal/media/s3test"
)

// TestLoad_intoS3AndBack moves a paper's media from a folder into an S3
// bucket with an import, and out of the bucket again with an export.
func TestLoad_intoS3AndBack(t *testing.T) {
	ctx := context.Background()
	lite := engine(t, "sqlite")
	src := exportOf(t, smallPaper(t, lite))

	gw := s3test.Start(t)
	gw.MakeBucket(t, "media")
	bucket, err := media.NewS3(ctx, media.S3Config{Endpoint: gw.Endpoint, Bucket: "media", Prefix: "site", AccessKey: gw.AccessKey, SecretKey: gw.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	target := newPaper(t, lite)
	s, err := export.Load(ctx, target.db, bucket, src)
	if err != nil {
		t.Fatal(err)
	}
	if s.MediaFiles != 1 {
		t.Fatalf("loaded %d media files, want 1", s.MediaFiles)
	}
	if got := gw.Objects(t, "media", "site/"); len(got) != 1 {
		t.Fatalf("bucket holds %v, want the author's photo", got)
	}
	again := filepath.Join(t.TempDir(), "again")
	if _, err := export.Write(ctx, target.db, bucket, again, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{export.MediaIndexFile, "media/demo/kim.png"} {
		a, _ := os.ReadFile(filepath.Join(src, f))
		b, err := os.ReadFile(filepath.Join(again, f))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs after a trip through the bucket (%v)", f, err)
		}
	}
}
