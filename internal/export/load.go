package export

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"broadsheet/internal/media"
	"broadsheet/internal/redirect"
	"broadsheet/internal/store"
)

// ErrNotEmpty is a database that already holds a paper: an export loads
// only into a new one.
var ErrNotEmpty = errors.New("import: the database is not empty")

// Load reads the export in dir into db, which must be empty, and its
// media files into files. Every file is checked against the manifest's
// checksums before anything is written; the rows go in one transaction,
// keeping their ids; the media files are stored before it commits and
// removed again if it does not. The derived data (search index, monthly
// counts) is rebuilt afterwards.
func Load(ctx context.Context, db *store.DB, files media.Storage, dir string) (Summary, error) {
	sum := Summary{Dir: dir}
	m, err := readManifest(dir)
	if err != nil {
		return sum, err
	}
	have, err := db.SchemaVersion(ctx)
	if err != nil {
		return sum, err
	}
	if m.SchemaVersion > have {
		return sum, fmt.Errorf("import: the export is of a newer schema (version %d) than this database (version %d): load it with the Broadsheet that made it, or a newer one", m.SchemaVersion, have)
	}
	entries, err := verify(dir, m)
	if err != nil {
		return sum, err
	}
	docs := map[string]TableDoc{}
	for _, d := range m.Tables {
		docs[d.Name] = d
	}
	var written []string
	start := time.Now()
	err = db.LoadTables(ctx, func(l *store.Loader) error {
		if err := checkEmpty(ctx, l); err != nil {
			return err
		}
		for _, t := range tables {
			d, ok := docs[t.name]
			if !ok {
				continue
			}
			n, err := loadTable(ctx, l, dir, t, d)
			if err != nil {
				return err
			}
			sum.Tables++
			sum.Rows += n
		}
		for _, e := range entries {
			existed, err := putMedia(ctx, files, dir, e)
			if !existed {
				written = append(written, e.Key)
			}
			if err != nil {
				return err
			}
			sum.MediaFiles++
			sum.MediaBytes += e.Bytes
		}
		return nil
	})
	if err != nil {
		for _, k := range written {
			_ = files.Delete(context.WithoutCancel(ctx), k)
		}
		return sum, err
	}
	sum.LoadTook = time.Since(start)
	start = time.Now()
	if err := db.RebuildDerived(ctx); err != nil {
		return sum, fmt.Errorf("import: the paper is loaded but its search index and sitemap counts could not be rebuilt (import again into a new database): %w", err)
	}
	sum.RebuildTook = time.Since(start)
	sum.SchemaVersion = m.SchemaVersion
	sum.Skipped = m.Skipped
	return sum, nil
}

func readManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("import: %s has no %s: it is not a Broadsheet export", dir, ManifestFile)
	}
	if err != nil {
		return m, fmt.Errorf("import: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("import: %s is not valid JSON: %v", ManifestFile, err)
	}
	if m.Format != Format {
		return m, fmt.Errorf("import: %s names the format %q, want %q", ManifestFile, m.Format, Format)
	}
	if m.Version < 1 || m.Version > Version {
		return m, fmt.Errorf("import: the export's format version %d is not one this Broadsheet reads (it reads 1 to %d)", m.Version, Version)
	}
	seen := map[string]bool{}
	for _, d := range m.Tables {
		if !slices.ContainsFunc(tables, func(t table) bool { return t.name == d.Name }) {
			return m, fmt.Errorf("import: the export has a table %q that this Broadsheet does not load", d.Name)
		}
		if seen[d.Name] {
			return m, fmt.Errorf("import: the manifest lists the table %q twice", d.Name)
		}
		seen[d.Name] = true
		if d.File != "tables/"+d.Name+".jsonl" {
			return m, fmt.Errorf("import: the manifest names the file %q for table %s, want %q", d.File, d.Name, "tables/"+d.Name+".jsonl")
		}
		if len(d.Columns) == 0 {
			return m, fmt.Errorf("import: the manifest lists no columns for table %s", d.Name)
		}
	}
	if m.Media.Index != MediaIndexFile {
		return m, fmt.Errorf("import: the manifest names the media index %q, want %q", m.Media.Index, MediaIndexFile)
	}
	return m, nil
}

// verify checks every file against the manifest before anything is
// written, and returns the media index.
func verify(dir string, m Manifest) ([]MediaEntry, error) {
	for _, d := range m.Tables {
		if err := checkFile(dir, d.File, d.SHA256, -1); err != nil {
			return nil, err
		}
	}
	if err := checkFile(dir, m.Media.Index, m.Media.SHA256, -1); err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, m.Media.Index))
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer func() { _ = f.Close() }()
	var entries []MediaEntry
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var e MediaEntry
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("import: %s line %d: %v", m.Media.Index, n, err)
		}
		if err := media.CheckKey(e.Key); err != nil {
			return nil, fmt.Errorf("import: %s line %d: %v", m.Media.Index, n, err)
		}
		if err := checkFile(dir, "media/"+e.Key, e.SHA256, e.Bytes); err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("import: %s: %w", m.Media.Index, err)
	}
	if int64(len(entries)) != m.Media.Files {
		return nil, fmt.Errorf("import: %s lists %d files, the manifest says %d", m.Media.Index, len(entries), m.Media.Files)
	}
	return entries, nil
}

// checkFile compares a file's checksum (and size, if size >= 0) with
// what the manifest says.
func checkFile(dir, name, want string, size int64) error {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("import: %s, named in the manifest, is missing", name)
	}
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("import: %s: %w", name, err)
	}
	if size >= 0 && n != size {
		return fmt.Errorf("import: %s is %d bytes, the export says %d: the export is damaged", name, n, size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("import: %s does not match its checksum in the manifest (sha256 %s, want %s): the export is damaged", name, got, want)
	}
	return nil
}

// checkEmpty refuses a database that has any row in a table an export
// fills, but settings, which a started site writes by itself and which
// the export replaces.
func checkEmpty(ctx context.Context, l *store.Loader) error {
	for _, t := range tables {
		if t.name == "settings" {
			continue
		}
		// Asked first: on PostgreSQL a failed count would spoil the
		// transaction.
		if _, err := l.Columns(ctx, t.name); errors.Is(err, store.ErrNoTable) {
			continue
		} else if err != nil {
			return err
		}
		n, err := l.Count(ctx, t.name)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: its table %s has %d rows; an export loads only into a new, empty database", ErrNotEmpty, t.name, n)
		}
	}
	return l.Clear(ctx, "settings")
}

// loadTable inserts the rows of one table's file.
func loadTable(ctx context.Context, l *store.Loader, dir string, t table, d TableDoc) (int64, error) {
	target, err := l.Columns(ctx, t.name)
	if errors.Is(err, store.ErrNoTable) {
		return 0, fmt.Errorf("import: the export has a table %s that this database's schema does not", t.name)
	}
	if err != nil {
		return 0, err
	}
	kinds := map[string]store.Kind{}
	for _, c := range target {
		kinds[c.Name] = c.Kind
	}
	index := map[string]int{}
	cols := slices.Clone(d.Columns)
	for i, c := range d.Columns {
		if _, ok := kinds[c]; !ok {
			return 0, fmt.Errorf("import: the export's table %s has a column %s that this database's schema does not", t.name, c)
		}
		if _, dup := index[c]; dup {
			return 0, fmt.Errorf("import: the manifest lists the column %s of table %s twice", c, t.name)
		}
		index[c] = i
	}
	for c := range t.fill {
		if _, ok := index[c]; !ok {
			cols = append(cols, c)
		}
	}
	for c := range t.set {
		if _, ok := index[c]; !ok {
			cols = append(cols, c)
		}
	}
	idCol, selfCol := -1, -1
	if i, ok := index["id"]; ok && t.selfRef != "" {
		idCol = i
		if j, ok := index[t.selfRef]; ok {
			selfCol = j
		}
	}
	type link struct{ id, to int64 }
	var later []link

	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(d.File)))
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), MaxLine+1)
	vals := make([]any, len(cols))
	var n int64
	for sc.Scan() {
		n++
		where := func() string { return fmt.Sprintf("%s line %d", d.File, n) }
		var row map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return 0, fmt.Errorf("import: %s: not a JSON object: %v", where(), err)
		}
		if row == nil {
			return 0, fmt.Errorf("import: %s: not a JSON object", where())
		}
		for k := range row {
			if _, ok := index[k]; !ok {
				return 0, fmt.Errorf("import: %s: column %q is not among the table's columns in the manifest", where(), k)
			}
		}
		for i, c := range cols {
			if i >= len(d.Columns) {
				if v, ok := t.set[c]; ok {
					vals[i] = v
				} else {
					vals[i] = t.fill[c]()
				}
				continue
			}
			raw, ok := row[c]
			if !ok {
				return 0, fmt.Errorf("import: %s: column %s is missing", where(), c)
			}
			v, err := convert(raw, kinds[c])
			if err != nil {
				return 0, fmt.Errorf("import: %s: column %s: %v", where(), c, err)
			}
			if s, ok := t.set[c]; ok {
				v = s
			}
			vals[i] = v
		}
		if t.name == "redirects" {
			// An export folder is written by whoever holds it: a redirect
			// from it obeys the rule every redirect obeys, so that none
			// can send readers off the site.
			if err := checkRedirect(cols, vals); err != nil {
				return 0, fmt.Errorf("import: %s: %v", where(), err)
			}
		}
		if selfCol >= 0 {
			id, _ := vals[idCol].(int64)
			if to, ok := vals[selfCol].(int64); ok && to >= id {
				later = append(later, link{id, to})
				vals[selfCol] = nil
			}
		}
		if err := l.Insert(ctx, t.name, cols, vals); err != nil {
			return 0, fmt.Errorf("import: %s: %w", where(), err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return 0, fmt.Errorf("import: %s line %d: longer than the limit of %d bytes", d.File, n+1, MaxLine)
		}
		return 0, fmt.Errorf("import: %s: %w", d.File, err)
	}
	if n != d.Rows {
		return 0, fmt.Errorf("import: %s has %d rows, the manifest says %d", d.File, n, d.Rows)
	}
	for _, k := range later {
		if err := l.SetColumn(ctx, t.name, t.selfRef, k.id, k.to); err != nil {
			return 0, fmt.Errorf("import: %s: %w", d.File, err)
		}
	}
	return n, nil
}

// convert turns one JSON value into the value of a column of kind k.
func convert(raw json.RawMessage, k store.Kind) (any, error) {
	s := string(bytes.TrimSpace(raw))
	if s == "null" {
		return nil, nil
	}
	switch k {
	case store.KindInteger:
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("want an integer, got %.40s", s)
		}
		return v, nil
	case store.KindReal:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("want a number, got %.40s", s)
		}
		return v, nil
	}
	var v string
	if len(s) == 0 || s[0] != '"' {
		return nil, fmt.Errorf("want a string, got %.40s", s)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("want a string: %v", err)
	}
	return v, nil
}

// putMedia stores one media file; existed reports a file already there
// under the key, which a failed load must not remove.
func putMedia(ctx context.Context, files media.Storage, dir string, e MediaEntry) (existed bool, err error) {
	if r, _, err := files.Open(ctx, e.Key); err == nil {
		_ = r.Close()
		existed = true
	}
	f, err := os.Open(filepath.Join(dir, "media", filepath.FromSlash(e.Key)))
	if err != nil {
		return existed, fmt.Errorf("import: %w", err)
	}
	defer func() { _ = f.Close() }()
	if err := files.Put(ctx, e.Key, f); err != nil {
		return existed, fmt.Errorf("import: media %s: %w", e.Key, err)
	}
	return existed, nil
}

// checkRedirect normalises a redirects row's addresses in place by the
// redirect package's rules, refusing one they refuse.
func checkRedirect(cols []string, vals []any) error {
	for i, c := range cols {
		v, ok := vals[i].(string)
		if !ok {
			continue
		}
		var err error
		switch c {
		case "from_path":
			vals[i], err = redirect.NormalizeFrom(v)
		case "to_path":
			vals[i], err = redirect.NormalizeTo(v)
		}
		if err != nil {
			return fmt.Errorf("column %s: %v", c, err)
		}
	}
	return nil
}
