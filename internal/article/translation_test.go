package article_test

import (
	"context"
	"errors"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// The pair is kept both ways: linking A to B links B to A, unlinking
// either side unlinks both, the two must differ in language, an article
// already paired elsewhere is refused, and only someone who may edit both
// may pair them.
func TestSetTranslation_pairsBothWaysAndRefusesWhatBreaksAPair(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		n := openNewsroom(t, e, nil)
		editor := n.staff[account.Editor]
		create := func(headline string, by account.Staff) article.Article {
			a, err := n.svc.Create(ctx, by, draftInput(headline))
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		en, ko, other := create("English story", editor), create("Korean story", editor), create("Another story", editor)
		stored := func(id int64) article.Article {
			a, err := n.db.Article(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		if a := stored(en.ID); article.LanguageOf(a) != article.English || a.CounterpartID != 0 {
			t.Fatalf("new article: language %q, counterpart %d; want en and none", a.Language, a.CounterpartID)
		}
		refused := func(what string, id int64, tr article.Translation, field string) {
			t.Helper()
			_, err := n.svc.SetTranslation(ctx, editor, id, tr)
			var ve article.ValidationError
			if !errors.As(err, &ve) || ve[field] == "" {
				t.Errorf("%s: err = %v; want a validation error on %s", what, err, field)
			}
		}
		refused("unknown language", ko.ID, article.Translation{Language: "fr"}, "language")
		refused("same language", ko.ID, article.Translation{Language: "en", CounterpartID: en.ID}, "counterpart_id")
		refused("itself", en.ID, article.Translation{Language: "en", CounterpartID: en.ID}, "counterpart_id")
		refused("missing counterpart", en.ID, article.Translation{Language: "en", CounterpartID: 99999}, "counterpart_id")

		// Linked from the Korean side: both articles name each other.
		if _, err := n.svc.SetTranslation(ctx, editor, ko.ID, article.Translation{Language: "ko", CounterpartID: en.ID}); err != nil {
			t.Fatal(err)
		}
		if a, b := stored(ko.ID), stored(en.ID); a.Language != "ko" || a.CounterpartID != en.ID || b.Language != "en" || b.CounterpartID != ko.ID {
			t.Fatalf("after linking: ko %q→%d, en %q→%d; want ko→%d and en→%d", a.Language, a.CounterpartID, b.Language, b.CounterpartID, en.ID, ko.ID)
		}
		// A save of either article keeps the pair.
		in := draftInput("English story, updated")
		if _, err := n.svc.Update(ctx, editor, en.ID, in, 0); err != nil {
			t.Fatal(err)
		}
		if a := stored(en.ID); a.CounterpartID != ko.ID {
			t.Errorf("after a save: counterpart %d, want %d", a.CounterpartID, ko.ID)
		}
		// Neither may be taken by a third article, nor pair with one.
		refused("counterpart paired elsewhere", other.ID, article.Translation{Language: "ko", CounterpartID: en.ID}, "counterpart_id")
		refused("article paired elsewhere", en.ID, article.Translation{Language: "en", CounterpartID: other.ID}, "counterpart_id")
		refused("language of a paired article", en.ID, article.Translation{Language: "ko", CounterpartID: ko.ID}, "counterpart_id")
		// A reporter may not pair editors' articles.
		if _, err := n.svc.SetTranslation(ctx, n.stranger, other.ID, article.Translation{Language: "ko"}); !errors.Is(err, article.ErrForbidden) && !errors.Is(err, article.ErrNotFound) {
			t.Errorf("reporter on another's article: err = %v; want forbidden or not found", err)
		}
		// Unlinking the English side unlinks both.
		if _, err := n.svc.SetTranslation(ctx, editor, en.ID, article.Translation{Language: "en"}); err != nil {
			t.Fatal(err)
		}
		if a, b := stored(en.ID), stored(ko.ID); a.CounterpartID != 0 || b.CounterpartID != 0 || b.Language != "ko" {
			t.Errorf("after unlinking: en→%d, ko %q→%d; want both unpaired, ko still Korean", a.CounterpartID, b.Language, b.CounterpartID)
		}
		// Free again, the Korean article pairs with the other one.
		if _, err := n.svc.SetTranslation(ctx, editor, other.ID, article.Translation{Language: "en", CounterpartID: ko.ID}); err != nil {
			t.Errorf("pairing after an unlink: %v", err)
		}
	})
}
