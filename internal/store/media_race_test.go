package store_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/audit"
	"broadsheet/internal/author"
	"broadsheet/internal/media"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// An article save that resolved an image inside its transaction and has
// not committed yet holds up a delete of that image, which then sees the
// article and is refused: the delete cannot slip in between the save's
// check of the image and its commit, and leave the article showing a
// deleted image. On PostgreSQL the test waits until the delete is seen
// waiting for the save's lock before the save commits; on SQLite the
// delete waits for the save's writing transaction.
func TestImages_deleteWaitsForASaveUsingTheImage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		dsn := e.DSN(t)
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_, politics, _ := seedSections(t, db)
		ed, err := db.EnsureStaff(ctx, account.Staff{Email: "ed@paper.example", Name: "Ed", Role: account.Editor})
		if err != nil {
			t.Fatal(err)
		}
		im := testImage("u/d1", ed.ID, time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC))
		if err := db.CreateImage(ctx, &im); err != nil {
			t.Fatal(err)
		}
		logger := slog.New(slog.NewTextHandler(io.Discard, nil))
		lib := media.NewLibrary(db, media.NewLocalDisk(t.TempDir()), media.Limits{})
		cat := media.NewCatalog(lib, db, audit.New(db, logger, nil))

		resolved, commit, deleted := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		saved := make(chan error, 1)
		go func() {
			saved <- db.InTx(ctx, func(ctx context.Context) error {
				if _, err := db.ImageByKey(ctx, "u/d1"); err != nil {
					return err
				}
				a := newArticle(politics.ID, "Pier closes for repairs", time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
					author.Author{Name: "Mina Park", Email: "mina@paper.example"})
				a.LeadImage = article.Image{URL: im.URL(), Alt: "The pier"}
				if err := db.CreateArticle(ctx, a); err != nil {
					return err
				}
				close(resolved)
				<-commit
				return nil
			})
		}()
		<-resolved
		go func() { deleted <- cat.Delete(ctx, ed, im.ID) }()
		if e.Name == "postgres" {
			raw, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			for waiting := false; !waiting; {
				select {
				case err := <-deleted:
					t.Fatalf("the delete ended while the save was open: %v", err)
				default:
				}
				err := raw.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
					WHERE wait_event_type = 'Lock' AND query LIKE '%FROM images WHERE id = $1 FOR UPDATE%')`).Scan(&waiting)
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		close(commit)
		if err := <-saved; err != nil {
			t.Fatal(err)
		}
		var inUse *media.InUseError
		if err := <-deleted; !errors.As(err, &inUse) || len(inUse.Uses.Shown) != 1 || inUse.Uses.Shown[0].Title != "Pier closes for repairs" {
			t.Fatalf("the delete: got %v, want it refused for the article", err)
		}
		if _, err := db.Image(ctx, im.ID); err != nil {
			t.Errorf("the image is gone: %v", err)
		}
	})
}
