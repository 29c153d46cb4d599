package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// memStore is an in-memory Store; createErr makes CreateImage fail. Its
// transactions run one at a time, as a database's writers do, and it may
// be used from several goroutines.
type memStore struct {
	tx        sync.Mutex // held for a whole InTx
	mu        sync.Mutex // guards images
	images    []Image
	createErr error
}

func (m *memStore) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	m.tx.Lock()
	defer m.tx.Unlock()
	m.mu.Lock()
	n := len(m.images)
	m.mu.Unlock()
	if err := fn(ctx); err != nil {
		m.mu.Lock()
		m.images = m.images[:n] // as a rolled-back transaction
		m.mu.Unlock()
		return err
	}
	return nil
}

func (m *memStore) CreateImage(ctx context.Context, im *Image) error {
	if m.createErr != nil {
		return m.createErr
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	im.ID = int64(len(m.images) + 1)
	m.images = append(m.images, *im)
	return nil
}

func (m *memStore) ImageByKey(ctx context.Context, key string) (Image, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, im := range m.images {
		if im.Key == key {
			return im, nil
		}
	}
	return Image{}, ErrNotFound
}

// files lists every file under root, as slash paths.
func files(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLibrarySave_storesEveryVariantAndRecordsTheImage(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	st := &memStore{}
	lib := NewLibrary(st, NewLocalDisk(root), Limits{})
	lib.now = func() time.Time { return time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC) }
	im, err := lib.Save(ctx, 7, bytes.NewReader(withEXIF(t, jpegBytes(t, 1000, 500), 1)))
	if err != nil {
		t.Fatal(err)
	}
	if im.ID != 1 || im.CreatedBy != 7 || im.Width != 1000 || im.Height != 500 || im.Ext != "jpg" ||
		im.ContentType != "image/jpeg" || !slices.Equal(im.Widths, []int{320, 640, 960}) || !im.CreatedAt.Equal(lib.now()) {
		t.Errorf("saved image: got %+v", im)
	}
	if !strings.HasPrefix(im.Key, "u/") || CheckKey(im.Key) != nil {
		t.Errorf("key %q is not u/<id>", im.Key)
	}
	want := []string{im.Key + "/320.jpg", im.Key + "/640.jpg", im.Key + "/960.jpg"}
	if got := files(t, root); !slices.Equal(got, want) {
		t.Errorf("files: got %v, want %v", got, want)
	}
	var total int64
	for _, k := range want {
		b, err := os.ReadFile(filepath.Join(root, k))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("Exif")) {
			t.Errorf("%s carries EXIF", k)
		}
		total += int64(len(b))
	}
	if im.Bytes != total {
		t.Errorf("Bytes: got %d, want %d, the files' total", im.Bytes, total)
	}
	if len(st.images) != 1 || st.images[0].Key != im.Key {
		t.Errorf("recorded: got %+v, want the saved image", st.images)
	}

	got, err := lib.ImageByURL(ctx, im.VariantURL(640))
	if err != nil || got.ID != im.ID {
		t.Errorf("ImageByURL(%s): got %+v, %v; want image %d", im.VariantURL(640), got, err, im.ID)
	}
	if _, err := lib.ImageByURL(ctx, im.VariantURL(1280)); !errors.Is(err, ErrNotFound) {
		t.Errorf("ImageByURL of a width never made: got %v, want ErrNotFound", err)
	}
	if _, err := lib.ImageByURL(ctx, "/media/demo/photo.jpg"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ImageByURL of a demo image: got %v, want ErrNotFound", err)
	}
}

func TestLibrarySave_refusedUploadStoresNothing(t *testing.T) {
	root := t.TempDir()
	st := &memStore{}
	lib := NewLibrary(st, NewLocalDisk(root), Limits{})
	_, err := lib.Save(context.Background(), 7, strings.NewReader("<html></html>"))
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("got %v, want ErrUnsupported", err)
	}
	if got := files(t, root); len(got) != 0 || len(st.images) != 0 {
		t.Errorf("after a refusal: files %v, records %v; want none", got, st.images)
	}
}

func TestLibrarySave_failedRecordLeavesNoFiles(t *testing.T) {
	root := t.TempDir()
	st := &memStore{createErr: errors.New("database is locked")}
	lib := NewLibrary(st, NewLocalDisk(root), Limits{})
	_, err := lib.Save(context.Background(), 7, bytes.NewReader(jpegBytes(t, 1000, 500)))
	if err == nil || !strings.Contains(err.Error(), "database is locked") {
		t.Fatalf("got %v, want the store's error", err)
	}
	if got := files(t, root); len(got) != 0 {
		t.Errorf("files left after a failed save: %v", got)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("folders left after a failed save: %v", entries)
	}
}

// failAfter is Storage that refuses its nth Put.
type failAfter struct {
	Storage
	n, puts int
}

func (f *failAfter) Put(ctx context.Context, key string, r io.Reader) error {
	f.puts++
	if f.puts == f.n {
		return errors.New("disk full")
	}
	return f.Storage.Put(ctx, key, r)
}

func TestLibrarySave_failedPutLeavesNoFiles(t *testing.T) {
	root := t.TempDir()
	st := &memStore{}
	lib := NewLibrary(st, &failAfter{Storage: NewLocalDisk(root), n: 3}, Limits{})
	// Four variants (320 to 1280 px): two stored before the third fails,
	// one never tried.
	_, err := lib.Save(context.Background(), 7, bytes.NewReader(jpegBytes(t, 1300, 650)))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v, want the storage's error", err)
	}
	if got := files(t, root); len(got) != 0 || len(st.images) != 0 {
		t.Errorf("after a failed put: files %v, records %v; want none", got, st.images)
	}
}

func TestImage_URLs(t *testing.T) {
	im := Image{Key: "u/abc123", Ext: "jpg", Widths: []int{320, 640, 960}}
	if got, want := im.URL(), "/media/u/abc123/960.jpg"; got != want {
		t.Errorf("URL: got %q, want %q", got, want)
	}
	if got, want := im.VariantURL(320), "/media/u/abc123/320.jpg"; got != want {
		t.Errorf("VariantURL: got %q, want %q", got, want)
	}
	want := "/media/u/abc123/320.jpg 320w, /media/u/abc123/640.jpg 640w, /media/u/abc123/960.jpg 960w"
	if got := im.Srcset(); got != want {
		t.Errorf("Srcset: got %q, want %q", got, want)
	}
	if got := (Image{}).URL(); got != "" {
		t.Errorf("URL of an image with no variants: got %q, want empty", got)
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		in      string
		key     string
		width   int
		ext     string
		wantsOK bool
	}{
		{"/media/u/abc123/640.jpg", "u/abc123", 640, "jpg", true},
		{"/media/u/abc123/200.png?v=2", "u/abc123", 200, "png", true},
		{"/media/u/abc123/200.png?from=https://other.example/x", "u/abc123", 200, "png", true},
		{"https://paper.example/media/u/abc123/1920.jpg", "u/abc123", 1920, "jpg", true},
		{"/media/demo/photo.jpg", "", 0, "", false},
		{"/media/u/abc123/640.gif", "", 0, "", false},
		{"/media/u/ABC/640.jpg", "", 0, "", false},
		{"/media/u/../640.jpg", "", 0, "", false},
		{"/media/u/abc123/0640.jpg", "", 0, "", false},
		{"/media/u/abc123/-1.jpg", "", 0, "", false},
		{"/media/u/abc123/x/640.jpg", "", 0, "", false},
		{"/media/u/abc123/640.jpg.exe", "", 0, "", false},
		{"https://evil.example", "", 0, "", false},
		{"", "", 0, "", false},
	}
	for _, tt := range tests {
		key, w, ext, ok := ParseURL(tt.in)
		if key != tt.key || w != tt.width || ext != tt.ext || ok != tt.wantsOK {
			t.Errorf("ParseURL(%q) = %q, %d, %q, %v; want %q, %d, %q, %v", tt.in, key, w, ext, ok, tt.key, tt.width, tt.ext, tt.wantsOK)
		}
	}
}
