package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
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
