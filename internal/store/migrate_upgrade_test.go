package store

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
)

// TestMigrate_staffRebuildKeepsTokensAndAuthorship upgrades a SQLite
// database that has staff, tokens and articles from schema 1 to the
// latest. Schema 2 rebuilds the staff table (SQLite cannot change a CHECK
// in place); done carelessly, dropping the old table would cascade to the
// tokens or unlink the articles' authors.
func TestMigrate_staffRebuildKeepsTokensAndAuthorship(t *testing.T) {
	ctx := context.Background()
	db, err := openNoMigrate(ctx, filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.migrator()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	s, err := db.EnsureStaff(ctx, account.Staff{Email: "ed@paper.example", Name: "Ed", Role: account.Editor})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateToken(ctx, s.ID, "hash-of-ed"); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UnixMilli()
	if _, err := db.sql.ExecContext(ctx, `INSERT INTO sections (id, slug, path, name) VALUES (1, 'n', 'n', 'N')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.sql.ExecContext(ctx, `INSERT INTO articles (slug, headline, body, body_html, section_id, status, created_at, updated_at, created_by)
		VALUES ('a', 'A', 'b', '<p>b</p>', 1, 'draft', ?, ?, ?)`, now, now, s.ID); err != nil {
		t.Fatal(err)
	}

	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := db.StaffByToken(ctx, "hash-of-ed"); err != nil || got.ID != s.ID {
		t.Fatalf("token after the upgrade: %+v, %v", got, err)
	}
	var createdBy int64
	if err := db.sql.QueryRowContext(ctx, `SELECT created_by FROM articles`).Scan(&createdBy); err != nil || createdBy != s.ID {
		t.Fatalf("article author after the upgrade: %d, %v", createdBy, err)
	}
	if _, err := db.EnsureStaff(ctx, account.Staff{Email: "mod@paper.example", Name: "Mod", Role: account.Moderator}); err != nil {
		t.Fatalf("the moderator role is refused after the upgrade: %v", err)
	}
	var fk string
	if err := db.sql.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE name = 'api_tokens'`).Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if want := "REFERENCES staff(id)"; !strings.Contains(fk, want) {
		t.Errorf("api_tokens no longer references staff: %s", fk)
	}
	var on int
	if err := db.sql.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on); err != nil || on != 1 {
		t.Errorf("foreign keys are off after the migration (%d, %v)", on, err)
	}
}

// TestMigrate_articleMonthsCountsExistingArticles upgrades a database
// with articles to the schema with article_months: the migration must
// count what is already published, by month in UTC.
func TestMigrate_articleMonthsCountsExistingArticles(t *testing.T) {
	ctx := context.Background()
	db, err := openNoMigrate(ctx, filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.migrator()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := db.sql.ExecContext(ctx, `INSERT INTO sections (id, slug, path, name) VALUES (1, 'n', 'n', 'N')`); err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		status           string
		published, edits string
	}{
		{"published", "2026-10-31T23:59:59Z", "2026-11-03T00:00:00Z"}, // 08:59 on 1 November in Seoul: still October in UTC
		{"published", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"},
		{"draft", "2026-11-02T00:00:00Z", "2026-12-01T00:00:00Z"},
	} {
		pub, _ := time.Parse(time.RFC3339, a.published)
		edit, _ := time.Parse(time.RFC3339, a.edits)
		if _, err := db.sql.ExecContext(ctx, `INSERT INTO articles (slug, headline, body, body_html, section_id, status, published_at, created_at, updated_at)
			VALUES ('a', 'A', 'b', '<p>b</p>', 1, ?, ?, ?, ?)`, a.status, pub.UnixMilli(), pub.UnixMilli(), edit.UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	months, err := db.PublishedMonths(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range months {
		got = append(got, m.Start.Format("2006-01")+" "+strconv.Itoa(m.Count)+" "+m.LastModified.Format(time.RFC3339))
	}
	want := []string{"2026-10 1 2026-11-03T00:00:00Z", "2026-11 1 2026-11-01T00:00:00Z"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("months after the upgrade: %q, want %q", got, want)
	}
}

// TestMigrate_topicIndexFillsTagLinks upgrades a database with tagged
// articles to the schema whose tag links carry the publication time: the
// migration must fill it in for the published articles only, or their
// topic pages and the tags' sitemap would come up empty after the upgrade.
func TestMigrate_topicIndexFillsTagLinks(t *testing.T) {
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "old.db")}
	// The engines fill the column with different SQL: PostgreSQL too,
	// in a schema of its own, when the tests have a server.
	if dsn := os.Getenv("BROADSHEET_TEST_POSTGRES_DSN"); dsn != "" {
		dsns["postgres"] = upgradeSchema(t, dsn)
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) { testTopicUpgrade(t, dsn) })
	}
}

// upgradeSchema makes a PostgreSQL schema for one test, dropped after
// it, and returns dsn pointed at it (storetest does the same, but it
// cannot be imported from inside the package).
func upgradeSchema(t *testing.T, dsn string) string {
	t.Helper()
	schema := "t_upgrade_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", dsn); err == nil {
			_, _ = a.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			_ = a.Close()
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func testTopicUpgrade(t *testing.T, dsn string) {
	ctx := context.Background()
	db, err := openNoMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.migrator()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 9); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO sections (id, slug, path, name) VALUES (1, 'n', 'n', 'N')`,
		`INSERT INTO tags (id, slug, name) VALUES (1, 'budget', 'Budget'), (2, 'drafts', 'Drafts')`,
	} {
		if _, err := db.exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	for i, a := range []struct {
		status string
		tags   []int64
	}{{"published", []int64{1}}, {"draft", []int64{1, 2}}, {"published", []int64{1}}, {"scheduled", []int64{1, 2}}} {
		id := int64(i + 1)
		at := base + id*60_000
		if _, err := db.exec(ctx, `INSERT INTO articles (id, slug, headline, body, body_html, section_id, status, published_at, created_at, updated_at)
			VALUES (?, ?, ?, 'b', '<p>b</p>', 1, ?, ?, ?, ?)`, id, "a"+strconv.Itoa(i+1), "A"+strconv.Itoa(i+1), a.status, at, at, at); err != nil {
			t.Fatal(err)
		}
		for pos, tag := range a.tags {
			if _, err := db.exec(ctx, `INSERT INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)`, id, tag, pos); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), TagID: 1, Status: article.Published})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range list {
		got = append(got, a.Headline)
	}
	if want := []string{"A3", "A1"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("topic after the upgrade: %q, want %q", got, want)
	}
	if n, err := db.TaggedCount(ctx); err != nil || n != 1 {
		t.Errorf("tags with published articles after the upgrade: %d, %v; want 1", n, err)
	}
}
