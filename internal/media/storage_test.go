package media

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckKey(t *testing.T) {
	good := []string{"u/3f9a/640.jpg", "a", "demo/photo-1_b.png", "u/0123456789abcdef/1920.jpg"}
	bad := []string{"", "../x", "u/../../etc/passwd", "/etc/passwd", "u//x", "u/x/", "./x", "u/.tmp-1",
		"U/X.jpg", `u\x.jpg`, "u/x y.jpg", "u/x%2e.jpg", "u/é.jpg", "u/x\x00.jpg", strings.Repeat("a", 201)}
	for _, k := range good {
		if err := CheckKey(k); err != nil {
			t.Errorf("CheckKey(%q) = %v, want nil", k, err)
		}
	}
	for _, k := range bad {
		if err := CheckKey(k); !errors.Is(err, ErrBadKey) {
			t.Errorf("CheckKey(%q) = %v, want ErrBadKey", k, err)
		}
	}
}

func TestLocalDisk_putOpenDelete(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	d := NewLocalDisk(root)
	if err := d.Put(ctx, "u/ab/320.jpg", strings.NewReader("first")); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "u/ab/320.jpg", strings.NewReader("second")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "u", "ab", "320.jpg")); err != nil || string(b) != "second" {
		t.Errorf("file on disk: got %q, %v; want %q", b, err, "second")
	}
	f, mod, err := d.Open(ctx, "u/ab/320.jpg")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "second" || mod.IsZero() {
		t.Errorf("Open: got %q at %v, want %q and a time", b, mod, "second")
	}
	entries, _ := os.ReadDir(filepath.Join(root, "u", "ab"))
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the file (no temporary files left)", len(entries))
	}
	if err := d.Delete(ctx, "u/ab/320.jpg"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Open(ctx, "u/ab/320.jpg"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open after Delete: got %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(filepath.Join(root, "u")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("empty folders left after Delete: %v", err)
	}
	if _, err := os.Stat(root); err != nil {
		t.Errorf("Delete removed the root: %v", err)
	}
	if err := d.Delete(ctx, "u/ab/320.jpg"); err != nil {
		t.Errorf("Delete of a missing file: got %v, want nil", err)
	}
	if _, _, err := d.Open(ctx, "u"); err == nil {
		t.Error("Open of a folder: got no error")
	}
}

func TestLocalDisk_refusesBadKeys(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	d := NewLocalDisk(filepath.Join(parent, "media"))
	for _, k := range []string{"../x", "../media-evil/x", "/tmp/x", "u/../../x"} {
		if err := d.Put(ctx, k, strings.NewReader("x")); !errors.Is(err, ErrBadKey) {
			t.Errorf("Put(%q): got %v, want ErrBadKey", k, err)
		}
		if _, _, err := d.Open(ctx, k); !errors.Is(err, ErrBadKey) {
			t.Errorf("Open(%q): got %v, want ErrBadKey", k, err)
		}
		if err := d.Delete(ctx, k); !errors.Is(err, ErrBadKey) {
			t.Errorf("Delete(%q): got %v, want ErrBadKey", k, err)
		}
	}
	if _, err := os.Stat(filepath.Join(parent, "x")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file was written outside the root: %v", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestLocalDisk_failedPutLeavesNothing(t *testing.T) {
	root := t.TempDir()
	d := NewLocalDisk(root)
	if err := d.Put(context.Background(), "u/ab/320.jpg", failingReader{}); err == nil {
		t.Fatal("Put from a failing reader: got no error")
	}
	entries, _ := os.ReadDir(filepath.Join(root, "u", "ab"))
	if len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
