package export_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/author"
	"broadsheet/internal/export"
	"broadsheet/internal/media"
	"broadsheet/internal/redirect"
	"broadsheet/internal/section"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// smallPaper is a paper with a section tree (world > national >
// politics, world made last), an author with a photo in the media
// storage and a setting, quick to make.
func smallPaper(t *testing.T, e storetest.Engine) paper {
	t.Helper()
	ctx := context.Background()
	p := newPaper(t, e)
	parent := section.Section{Slug: "national", Path: "national", Name: "National"}
	if err := p.db.CreateSection(ctx, &parent); err != nil {
		t.Fatal(err)
	}
	child := section.Section{ParentID: parent.ID, Slug: "politics", Path: "national/politics", Name: "Politics"}
	if err := p.db.CreateSection(ctx, &child); err != nil {
		t.Fatal(err)
	}
	// A parent with a larger id than its child: the child's link is
	// filled in after both are loaded.
	world := section.Section{Slug: "world", Path: "world", Name: "World"}
	if err := p.db.CreateSection(ctx, &world); err != nil {
		t.Fatal(err)
	}
	parent.ParentID = world.ID
	if err := p.db.EditSection(ctx, &parent); err != nil {
		t.Fatal(err)
	}
	if err := p.db.SaveAuthor(ctx, &author.Author{Slug: "kim-minji", Name: "Kim Min-ji", Email: "kim@paper.example",
		PhotoURL: "/media/demo/kim.png"}); err != nil {
		t.Fatal(err)
	}
	if err := p.files().Put(ctx, "demo/kim.png", strings.NewReader("not really a png")); err != nil {
		t.Fatal(err)
	}
	if err := p.db.SetSetting(ctx, "site_name", "The Small Paper"); err != nil {
		t.Fatal(err)
	}
	if err := p.db.SaveRedirect(ctx, redirect.Redirect{From: "/2019/03/old-story", To: "/section/national", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return p
}

func exportOf(t *testing.T, p paper) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "export")
	if _, err := export.Write(context.Background(), p.db, p.files(), dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// assertEmpty checks that nothing was written: an export of the paper
// has no rows and its media folder no files.
func assertEmpty(t *testing.T, p paper) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "check")
	s, err := export.Write(context.Background(), p.db, p.files(), dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if s.Rows != 0 {
		t.Errorf("the database has %d rows after a refused import, want 0", s.Rows)
	}
	entries, _ := os.ReadDir(p.media)
	if len(entries) != 0 {
		t.Errorf("the media folder has %d entries after a refused import, want 0", len(entries))
	}
}

func readManifest(t *testing.T, dir string) export.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, export.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m export.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func writeManifest(t *testing.T, dir string, m export.Manifest) {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, export.ManifestFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// rewriteTable replaces a table's file and, when fixSum, its checksum in
// the manifest, so the damage gets past the checksums.
func rewriteTable(t *testing.T, dir, name string, fixSum bool, edit func([]byte) []byte) {
	t.Helper()
	path := filepath.Join(dir, "tables", name+".jsonl")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b = edit(b)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if !fixSum {
		return
	}
	m := readManifest(t, dir)
	sum := sha256.Sum256(b)
	for i := range m.Tables {
		if m.Tables[i].Name == name {
			m.Tables[i].SHA256 = hex.EncodeToString(sum[:])
		}
	}
	writeManifest(t, dir, m)
}

func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
	return to
}

func TestLoad_refusesDamagedExportAndWritesNothing(t *testing.T) {
	lite := engine(t, "sqlite")
	src := exportOf(t, smallPaper(t, lite))
	cases := []struct {
		name   string
		damage func(t *testing.T, dir string)
		want   string
	}{
		{"bad JSON line", func(t *testing.T, dir string) {
			rewriteTable(t, dir, "sections", true, func(b []byte) []byte { return append(b, "{\"id\": 4, \"slug\": \n"...) })
		}, "tables/sections.jsonl line 4: not a JSON object"},
		{"checksum mismatch", func(t *testing.T, dir string) {
			rewriteTable(t, dir, "authors", false, func(b []byte) []byte { return bytes.Replace(b, []byte("Kim"), []byte("Kum"), 1) })
		}, "tables/authors.jsonl does not match its checksum"},
		{"missing table file", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "tables", "authors.jsonl")); err != nil {
				t.Fatal(err)
			}
		}, "tables/authors.jsonl, named in the manifest, is missing"},
		{"missing media file", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "media", "demo", "kim.png")); err != nil {
				t.Fatal(err)
			}
		}, "media/demo/kim.png, named in the manifest, is missing"},
		{"damaged media file", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "media", "demo", "kim.png"), []byte("not really a pnG"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "media/demo/kim.png does not match its checksum"},
		{"no manifest", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, export.ManifestFile)); err != nil {
				t.Fatal(err)
			}
		}, "it is not a Broadsheet export"},
		{"another format", func(t *testing.T, dir string) {
			m := readManifest(t, dir)
			m.Format = "wordpress"
			writeManifest(t, dir, m)
		}, `names the format "wordpress"`},
		{"newer format version", func(t *testing.T, dir string) {
			m := readManifest(t, dir)
			m.Version = export.Version + 1
			writeManifest(t, dir, m)
		}, "format version 2 is not one this Broadsheet reads"},
		{"newer schema", func(t *testing.T, dir string) {
			m := readManifest(t, dir)
			m.SchemaVersion += 1
			writeManifest(t, dir, m)
		}, "the export is of a newer schema"},
		{"file outside its folder", func(t *testing.T, dir string) {
			m := readManifest(t, dir)
			m.Tables[0].File = "../../etc/passwd"
			writeManifest(t, dir, m)
		}, `names the file "../../etc/passwd"`},
		{"unknown table", func(t *testing.T, dir string) {
			m := readManifest(t, dir)
			m.Tables[0].Name = "sessions"
			writeManifest(t, dir, m)
		}, `a table "sessions" that this Broadsheet does not load`},
		{"column the schema lacks", func(t *testing.T, dir string) {
			m := readManifest(t, dir)
			for i := range m.Tables {
				if m.Tables[i].Name == "authors" {
					m.Tables[i].Columns = append(m.Tables[i].Columns, "shoe_size")
				}
			}
			writeManifest(t, dir, m)
		}, "authors has a column shoe_size that this database's schema does not"},
		{"row with a column not in the manifest", func(t *testing.T, dir string) {
			rewriteTable(t, dir, "authors", true, func(b []byte) []byte { return bytes.Replace(b, []byte(`{"id":1,`), []byte(`{"id":1,"extra":2,`), 1) })
		}, `tables/authors.jsonl line 1: column "extra" is not among`},
		{"text where a number goes", func(t *testing.T, dir string) {
			rewriteTable(t, dir, "sections", true, func(b []byte) []byte {
				return bytes.Replace(b, []byte(`"position":0`), []byte(`"position":"first"`), 1)
			})
		}, "tables/sections.jsonl line 1: column position: want an integer"},
		{"redirect off the site", func(t *testing.T, dir string) {
			rewriteTable(t, dir, "redirects", true, func(b []byte) []byte {
				return bytes.Replace(b, []byte(`"to_path":"/section/national"`), []byte(`"to_path":"//evil.example/x"`), 1)
			})
		}, "tables/redirects.jsonl line 1: column to_path"},
		{"fewer rows than the manifest says", func(t *testing.T, dir string) {
			rewriteTable(t, dir, "sections", true, func(b []byte) []byte { return b[:bytes.IndexByte(b, '\n')+1] })
		}, "tables/sections.jsonl has 1 rows, the manifest says 3"},
	}
	for _, e := range storetest.Engines(t) {
		for _, c := range cases {
			t.Run(e.Name+"/"+c.name, func(t *testing.T) {
				dir := copyDir(t, src)
				c.damage(t, dir)
				target := newPaper(t, e)
				_, err := export.Load(context.Background(), target.db, target.files(), dir)
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("got error %v, want one containing %q", err, c.want)
				}
				assertEmpty(t, target)
			})
		}
	}
}

func TestLoad_refusesLineOverLimit(t *testing.T) {
	lite := engine(t, "sqlite")
	dir := exportOf(t, smallPaper(t, lite))
	rewriteTable(t, dir, "authors", true, func(b []byte) []byte {
		long := `{"id":9,"bio":"` + strings.Repeat("a", export.MaxLine) + `"}` + "\n"
		return append(b, long...)
	})
	target := newPaper(t, lite)
	_, err := export.Load(context.Background(), target.db, target.files(), dir)
	if err == nil || !strings.Contains(err.Error(), "tables/authors.jsonl line 2: longer than the limit") {
		t.Fatalf("got error %v, want the line over the limit named", err)
	}
	assertEmpty(t, target)
}

func TestLoad_refusesDatabaseNotEmpty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		dir := exportOf(t, smallPaper(t, e))
		target := newPaper(t, e)
		if err := target.db.CreateSection(ctx, &section.Section{Slug: "sports", Path: "sports", Name: "Sports"}); err != nil {
			t.Fatal(err)
		}
		_, err := export.Load(ctx, target.db, target.files(), dir)
		if !errors.Is(err, export.ErrNotEmpty) || !strings.Contains(err.Error(), "table sections has 1 rows") {
			t.Fatalf("got error %v, want ErrNotEmpty naming the sections", err)
		}
		secs, err := target.db.Sections(ctx)
		if err != nil || len(secs) != 1 || secs[0].Slug != "sports" {
			t.Fatalf("sections after a refused import: %v, %v; want only sports", secs, err)
		}
		if entries, _ := os.ReadDir(target.media); len(entries) != 0 {
			t.Errorf("the media folder has %d entries after a refused import, want 0", len(entries))
		}
	})
}

// failingFiles is a media storage whose Put fails after n files.
type failingFiles struct {
	media.Storage
	n int
}

func (f *failingFiles) Put(ctx context.Context, key string, r io.Reader) error {
	if f.n == 0 {
		return errors.New("disk full")
	}
	f.n--
	return f.Storage.Put(ctx, key, r)
}

func TestLoad_mediaFailureUndoesEverything(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		p := smallPaper(t, e)
		if err := p.files().Put(ctx, "u/abc/320.jpg", strings.NewReader("jpeg")); err != nil {
			t.Fatal(err)
		}
		if err := p.db.SetSetting(ctx, "footer", `<img src="/media/u/abc/320.jpg">`); err != nil {
			t.Fatal(err)
		}
		dir := exportOf(t, p)
		if m := readManifest(t, dir); m.Media.Files != 2 {
			t.Fatalf("export has %d media files, want 2", m.Media.Files)
		}
		target := newPaper(t, e)
		_, err := export.Load(ctx, target.db, &failingFiles{Storage: target.files(), n: 1}, dir)
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Fatalf("got error %v, want the storage's", err)
		}
		assertEmpty(t, target)
	})
}

func TestExport_emptyDatabaseRoundTrips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		src := newPaper(t, e)
		dir := exportOf(t, src)
		m := readManifest(t, dir)
		if m.Format != export.Format || m.Version != export.Version || m.Engine != e.Name {
			t.Fatalf("manifest says %q v%d from %s, want %q v%d from %s", m.Format, m.Version, m.Engine, export.Format, export.Version, e.Name)
		}
		want, err := src.db.SchemaVersion(ctx)
		if err != nil || m.SchemaVersion != want {
			t.Fatalf("manifest schema version %d, want %d (%v)", m.SchemaVersion, want, err)
		}
		for _, tb := range m.Tables {
			if tb.Rows != 0 {
				t.Errorf("table %s has %d rows in an export of an empty database", tb.Name, tb.Rows)
			}
		}
		// A table of the format that this schema lacks is noted, not an error.
		for _, s := range m.Skipped {
			if _, err := src.db.Columns(ctx, s.Table); !errors.Is(err, store.ErrNoTable) {
				t.Errorf("skipped %s, which the database has (%v)", s.Table, err)
			}
		}
		for _, other := range storetest.Engines(t) {
			target := newPaper(t, other)
			s, err := export.Load(ctx, target.db, target.files(), dir)
			if err != nil {
				t.Fatalf("load into %s: %v", other.Name, err)
			}
			if s.Rows != 0 {
				t.Errorf("loaded %d rows into %s, want 0", s.Rows, other.Name)
			}
		}
		if _, err := export.Write(ctx, src.db, src.files(), dir, time.Now()); err == nil || !strings.Contains(err.Error(), "is not empty") {
			t.Errorf("export into a folder that is not empty: got %v, want a refusal", err)
		}
	})
}

func TestLoad_olderExportWithFewerColumnsLoads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		dir := exportOf(t, smallPaper(t, e))
		// As an export made before sections had Korean names and before
		// article translations existed.
		m := readManifest(t, dir)
		m.SchemaVersion = 15
		var kept []export.TableDoc
		for _, tb := range m.Tables {
			if tb.Name == "article_translations" {
				continue
			}
			if tb.Name == "sections" {
				tb.Columns = slicesDelete(tb.Columns, "name_ko")
			}
			kept = append(kept, tb)
		}
		m.Tables = kept
		writeManifest(t, dir, m)
		rewriteTable(t, dir, "sections", true, func(b []byte) []byte { return bytes.ReplaceAll(b, []byte(`,"name_ko":""`), nil) })

		target := newPaper(t, e)
		if _, err := export.Load(ctx, target.db, target.files(), dir); err != nil {
			t.Fatal(err)
		}
		national, err := target.db.SectionByPath(ctx, "world/national")
		if err != nil || national.ID != 1 || national.ParentID != 3 {
			t.Fatalf("section world/national: %+v, %v; want id 1 under id 3", national, err)
		}
		// The ids go on after the largest loaded (PostgreSQL's sequences).
		s := section.Section{Slug: "sports", Path: "sports", Name: "Sports"}
		if err := target.db.CreateSection(ctx, &s); err != nil || s.ID != 4 {
			t.Fatalf("new section got id %d (%v), want 4", s.ID, err)
		}
	})
}

func slicesDelete(list []string, v string) []string {
	var out []string
	for _, s := range list {
		if s != v {
			out = append(out, s)
		}
	}
	return out
}
