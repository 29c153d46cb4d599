package export

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/media"
	"broadsheet/internal/store"
)

// Summary is what an export or a load did.
type Summary struct {
	Dir           string
	SchemaVersion int64
	Tables        int
	Rows          int64
	MediaFiles    int64
	MediaBytes    int64
	Skipped       []Skipped
	Missing       int64 // media files named but not found (export only)
	// LoadTook and RebuildTook are the load's two steps: the rows and
	// files, then the search index and monthly counts.
	LoadTook, RebuildTook time.Duration
}

// Write exports the database db and the media files it names from files
// to the folder dir, which must not exist or be empty. The folder is
// written beside dir under another name and renamed into place at the
// end, so a failed export leaves nothing at dir.
func Write(ctx context.Context, db *store.DB, files media.Storage, dir string, now time.Time) (Summary, error) {
	sum := Summary{Dir: dir}
	if dir == "" {
		return sum, errors.New("export: no folder given")
	}
	if err := checkEmptyDir(dir); err != nil {
		return sum, err
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(filepath.Clean(dir))+".partial-")
	if err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = os.RemoveAll(tmp)
		}
	}()
	version, err := db.SchemaVersion(ctx)
	if err != nil {
		return sum, err
	}
	m := Manifest{Format: Format, Version: Version, SchemaVersion: version, Engine: db.Engine(), CreatedAt: now.UTC().Truncate(time.Second)}
	if err := os.Mkdir(filepath.Join(tmp, "tables"), 0o755); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	keys := map[string]struct{}{}
	err = db.ReadSnapshot(ctx, func(s *store.Snapshot) error {
		for _, t := range tables {
			cols, err := s.Columns(ctx, t.name)
			if errors.Is(err, store.ErrNoTable) {
				m.Skipped = append(m.Skipped, Skipped{Table: t.name, Reason: fmt.Sprintf("not in this database's schema (version %d)", version)})
				continue
			}
			if err != nil {
				return err
			}
			doc, err := writeTable(ctx, s, tmp, t, cols, keys)
			if err != nil {
				return err
			}
			m.Tables = append(m.Tables, doc)
			sum.Rows += doc.Rows
		}
		return nil
	})
	if err != nil {
		return sum, err
	}
	if m.Media, err = writeMedia(ctx, files, tmp, keys); err != nil {
		return sum, err
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return sum, fmt.Errorf("export: manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, ManifestFile), append(b, '\n'), 0o644); err != nil {
		return sum, fmt.Errorf("export: manifest: %w", err)
	}
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return sum, fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	done = true
	sum.SchemaVersion, sum.Tables, sum.Skipped = version, len(m.Tables), m.Skipped
	sum.MediaFiles, sum.MediaBytes, sum.Missing = m.Media.Files, m.Media.Bytes, m.Media.MissingCount
	return sum, nil
}

// checkEmptyDir accepts a folder that does not exist or is empty.
func checkEmptyDir(dir string) error {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() { _ = f.Close() }()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("export: %s is a file, not a folder", dir)
	}
	if names, _ := f.Readdirnames(1); len(names) > 0 {
		return fmt.Errorf("export: the folder %s is not empty: give a new or empty folder", dir)
	}
	return nil
}

// mediaTables hold text that may name media files ("/media/u/x/640.jpg").
var mediaTables = map[string]bool{"articles": true, "authors": true, "pages": true, "images": true, "settings": true}

var mediaRef = regexp.MustCompile(`/media/([a-z0-9][a-z0-9/._-]*[a-z0-9])`)

// writeTable writes one table as JSON lines, one object a row with the
// columns in the schema's order, and notes the media files its rows name.
func writeTable(ctx context.Context, s *store.Snapshot, dir string, t table, all []store.Column, keys map[string]struct{}) (TableDoc, error) {
	doc := TableDoc{Name: t.name, File: "tables/" + t.name + ".jsonl"}
	var cols []store.Column
	for _, c := range all {
		if slices.Contains(t.omit, c.Name) {
			doc.Omitted = append(doc.Omitted, c.Name)
			continue
		}
		cols = append(cols, c)
		doc.Columns = append(doc.Columns, c.Name)
	}
	f, err := os.Create(filepath.Join(dir, filepath.FromSlash(doc.File)))
	if err != nil {
		return doc, fmt.Errorf("export: %w", err)
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	w := bufio.NewWriterSize(io.MultiWriter(f, h), 64<<10)
	var line []byte
	err = s.Rows(ctx, t.name, cols, t.where, t.order, func(vals []any) error {
		line = line[:0]
		line = append(line, '{')
		for i, v := range vals {
			if i > 0 {
				line = append(line, ',')
			}
			line = appendJSONString(line, cols[i].Name)
			line = append(line, ':')
			var err error
			if line, err = appendJSONValue(line, v); err != nil {
				return fmt.Errorf("export: %s row %d, %s: %w", t.name, doc.Rows+1, cols[i].Name, err)
			}
			if str, ok := v.(string); ok && mediaTables[t.name] {
				noteMedia(keys, str)
			}
		}
		if t.name == "images" {
			noteImage(keys, cols, vals)
		}
		line = append(line, '}', '\n')
		if len(line) > MaxLine {
			return fmt.Errorf("export: %s row %d is %d bytes as JSON, over the limit of %d", t.name, doc.Rows+1, len(line), MaxLine)
		}
		doc.Rows++
		_, err := w.Write(line)
		return err
	})
	if err != nil {
		return doc, err
	}
	if err := w.Flush(); err != nil {
		return doc, fmt.Errorf("export: %w", err)
	}
	if err := f.Close(); err != nil {
		return doc, fmt.Errorf("export: %w", err)
	}
	doc.SHA256 = hex.EncodeToString(h.Sum(nil))
	return doc, nil
}

func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return b, fmt.Errorf("%v cannot be written as JSON", v)
		}
		return strconv.AppendFloat(b, v, 'g', -1, 64), nil
	case string:
		return appendJSONString(b, v), nil
	}
	return b, fmt.Errorf("unexpected value of type %T", v)
}

func noteMedia(keys map[string]struct{}, s string) {
	if !strings.Contains(s, "/media/") {
		return
	}
	for _, m := range mediaRef.FindAllStringSubmatch(s, -1) {
		if media.CheckKey(m[1]) == nil {
			keys[m[1]] = struct{}{}
		}
	}
}

// noteImage notes every variant of a row of images.
func noteImage(keys map[string]struct{}, cols []store.Column, vals []any) {
	var key, ext, widths string
	for i, c := range cols {
		s, _ := vals[i].(string)
		switch c.Name {
		case "key":
			key = s
		case "ext":
			ext = s
		case "widths":
			widths = s
		}
	}
	for w := range strings.SplitSeq(widths, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(w))
		if err != nil {
			continue
		}
		k := media.Image{Key: key, Ext: ext}.VariantKey(n)
		if media.CheckKey(k) == nil {
			keys[k] = struct{}{}
		}
	}
}

// writeMedia copies each file named into dir/media and lists it, with
// its size and checksum, in the media index.
func writeMedia(ctx context.Context, files media.Storage, dir string, keys map[string]struct{}) (MediaDoc, error) {
	doc := MediaDoc{Index: MediaIndexFile}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	slices.Sort(sorted)
	f, err := os.Create(filepath.Join(dir, MediaIndexFile))
	if err != nil {
		return doc, fmt.Errorf("export: %w", err)
	}
	defer func() { _ = f.Close() }()
	ih := sha256.New()
	iw := bufio.NewWriter(io.MultiWriter(f, ih))
	for _, k := range sorted {
		n, sum, err := copyMedia(ctx, files, k, filepath.Join(dir, "media", filepath.FromSlash(k)))
		if errors.Is(err, fs.ErrNotExist) {
			doc.MissingCount++
			if len(doc.Missing) < maxMissing {
				doc.Missing = append(doc.Missing, k)
			}
			continue
		}
		if err != nil {
			return doc, err
		}
		b, _ := json.Marshal(MediaEntry{Key: k, Bytes: n, SHA256: sum})
		if _, err := iw.Write(append(b, '\n')); err != nil {
			return doc, fmt.Errorf("export: %w", err)
		}
		doc.Files++
		doc.Bytes += n
	}
	if err := iw.Flush(); err != nil {
		return doc, fmt.Errorf("export: %w", err)
	}
	if err := f.Close(); err != nil {
		return doc, fmt.Errorf("export: %w", err)
	}
	doc.SHA256 = hex.EncodeToString(ih.Sum(nil))
	return doc, nil
}

func copyMedia(ctx context.Context, files media.Storage, key, to string) (int64, string, error) {
	r, _, err := files.Open(ctx, key)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, "", err
		}
		return 0, "", fmt.Errorf("export: media %s: %w", key, err)
	}
	defer func() { _ = r.Close() }()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return 0, "", fmt.Errorf("export: %w", err)
	}
	out, err := os.Create(to)
	if err != nil {
		return 0, "", fmt.Errorf("export: %w", err)
	}
	defer func() { _ = out.Close() }()
	var h hash.Hash = sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), r)
	if err != nil {
		return 0, "", fmt.Errorf("export: media %s: %w", key, err)
	}
	if err := out.Close(); err != nil {
		return 0, "", fmt.Errorf("export: %w", err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
