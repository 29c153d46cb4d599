package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Storage holds files by key, a slash-separated path of [a-z0-9._-]
// segments such as "u/3f9a/640.jpg". LocalDisk keeps them in a folder,
// S3 in a bucket that several instances share. A storage that does not
// answer returns errors wrapping ErrUnavailable.
type Storage interface {
	// Put stores the whole of r under key, replacing any file there.
	// Readers see either the old file or the new one, never part of it.
	Put(ctx context.Context, key string, r io.Reader) error
	// Open returns the file under key and when it was last changed; an
	// error wrapping fs.ErrNotExist if there is none. The file may also
	// have an ETag() string method, giving its entity tag unquoted.
	Open(ctx context.Context, key string) (io.ReadSeekCloser, time.Time, error)
	// Delete removes the file under key; a missing file is not an error.
	Delete(ctx context.Context, key string) error
}

// ErrBadKey is a storage key that is empty, too long, absolute, climbs
// with "..", or has characters outside [a-z0-9/._-].
var ErrBadKey = errors.New("media: invalid storage key")

// maxKeyLen bounds a key well below file system limits.
const maxKeyLen = 200

// CheckKey returns an error wrapping ErrBadKey unless key is a valid key:
// segments of [a-z0-9._-] joined by single slashes, none starting with a
// dot (so no ".", ".." or hidden files).
func CheckKey(key string) error {
	if key == "" || len(key) > maxKeyLen {
		return fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg[0] == '.' {
			return fmt.Errorf("%w: %q", ErrBadKey, key)
		}
		for _, c := range []byte(seg) {
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '.' && c != '_' && c != '-' {
				return fmt.Errorf("%w: %q", ErrBadKey, key)
			}
		}
	}
	return nil
}

// LocalDisk is Storage in a folder: key "u/x/640.jpg" is the file
// <root>/u/x/640.jpg.
type LocalDisk struct {
	root string
}

// NewLocalDisk stores files under root, creating folders as needed.
func NewLocalDisk(root string) *LocalDisk {
	return &LocalDisk{root: root}
}

func (d *LocalDisk) path(key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

// Put writes r to a temporary file beside the target, syncs it and
// renames it into place, so a crash never leaves half a file under key.
func (d *LocalDisk) Put(ctx context.Context, key string, r io.Reader) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err := io.Copy(f, r); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	ok = true
	return nil
}

// Open opens the file under key.
func (d *LocalDisk) Open(ctx context.Context, key string) (io.ReadSeekCloser, time.Time, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, time.Time{}, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("media: open %s: %w", key, err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, time.Time{}, fmt.Errorf("media: open %s: %w", key, err)
	}
	if st.IsDir() {
		_ = f.Close()
		return nil, time.Time{}, fmt.Errorf("media: open %s: %w", key, fs.ErrNotExist)
	}
	return f, st.ModTime(), nil
}

// Delete removes the file under key and then any folders it leaves
// empty, up to the root.
func (d *LocalDisk) Delete(ctx context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: delete %s: %w", key, err)
	}
	root := filepath.Clean(d.root)
	for dir := filepath.Dir(p); dir != root && strings.HasPrefix(dir, root); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil { // not empty, or already gone
			break
		}
	}
	return nil
}
