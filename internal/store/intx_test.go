package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/audit"
	"broadsheet/internal/author"
	"broadsheet/internal/store/storetest"
)

// A change and its audit entry written in one InTx are kept together or
// not at all; reads inside see the transaction's own writes.
func TestInTx_changeAndAuditEntryCommitOrRollBackTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		log := audit.New(db, nil, nil)
		editor := account.Staff{Name: "Desk"}
		kim := author.Author{Name: "Kim", Email: "kim@paper.example"}

		write := func(headline string, fail error) (int64, error) {
			var id int64
			err := db.InTx(ctx, func(ctx context.Context) error {
				a := newArticle(politics.ID, headline, time.Now(), kim)
				if err := db.CreateArticle(ctx, a); err != nil {
					return err
				}
				id = a.ID
				// Read back through the transaction: it sees its own write.
				if _, err := db.Article(ctx, a.ID); err != nil {
					return err
				}
				// A nested InTx joins the outer transaction.
				if err := db.InTx(ctx, func(ctx context.Context) error {
					return log.Write(ctx, editor, "article.create", "article", a.ID, a.Headline, nil, nil)
				}); err != nil {
					return err
				}
				return fail
			})
			return id, err
		}

		boom := errors.New("boom")
		lost, err := write("Rolled back", boom)
		if !errors.Is(err, boom) {
			t.Fatalf("InTx returned %v, want fn's error", err)
		}
		if _, err := db.Article(ctx, lost); !errors.Is(err, article.ErrNotFound) {
			t.Errorf("article of a failed transaction: %v, want not found", err)
		}
		kept, err := write("Kept", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Article(ctx, kept); err != nil {
			t.Errorf("article of a committed transaction: %v", err)
		}
		entries, err := log.Entries(ctx, audit.Query{Action: "article.create"})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].TargetID != kept {
			t.Errorf("audit entries %+v, want one for article %d only", entries, kept)
		}
	})
}
