package article_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// A save or preview that waited too long for its turn to render is
// ErrBusy, which the doors answer 503 with Retry-After, never a
// complaint about the body, which is fine.
func TestService_busyRenderIsErrBusy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		n := openNewsroom(t, e, nil)
		ctx := context.Background()
		release := article.TakeAllTurns(20 * time.Millisecond)
		_, errPreview := n.svc.Preview(ctx, n.staff[account.Reporter], 0, draftInput("Busy preview"))
		_, errCreate := n.svc.Create(ctx, n.staff[account.Reporter], draftInput("Busy save"))
		release()
		for name, err := range map[string]error{"preview": errPreview, "save": errCreate} {
			var ve article.ValidationError
			if !errors.Is(err, article.ErrBusy) || errors.As(err, &ve) {
				t.Errorf("%s with every turn taken: %v, want ErrBusy", name, err)
			}
		}
		if a, err := n.svc.Preview(ctx, n.staff[account.Reporter], 0, draftInput("Free preview")); err != nil || a.ID != 0 || a.BodyHTML == "" {
			t.Errorf("preview with a turn free: %+v, %v", a.ID, err)
		}
	})
}

// The preview of an existing article is checked as its save: a reporter
// previews only their own draft, and nothing is stored.
func TestService_previewIsCheckedAsTheSave(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		n := openNewsroom(t, e, nil)
		ctx := context.Background()
		theirs, err := n.svc.Create(ctx, n.stranger, draftInput("Another reporter's draft"))
		if err != nil {
			t.Fatal(err)
		}
		mine, err := n.svc.Create(ctx, n.staff[account.Reporter], draftInput("My draft"))
		if err != nil {
			t.Fatal(err)
		}
		in := draftInput("My draft, better")
		if _, err := n.svc.Preview(ctx, n.staff[account.Reporter], theirs.ID, in); !errors.Is(err, article.ErrNotFound) {
			t.Errorf("previewing another reporter's draft: %v, want ErrNotFound", err)
		}
		a, err := n.svc.Preview(ctx, n.staff[account.Reporter], mine.ID, in)
		if err != nil || a.Headline != "My draft, better" || a.ID != mine.ID {
			t.Fatalf("previewing my draft: %q, %v", a.Headline, err)
		}
		if stored, _ := n.db.Article(ctx, mine.ID); stored.Headline != "My draft" || stored.Version != mine.Version {
			t.Errorf("the preview changed the stored article: %q v%d", stored.Headline, stored.Version)
		}
		in.Headline = ""
		var ve article.ValidationError
		if _, err := n.svc.Preview(ctx, n.staff[account.Reporter], mine.ID, in); !errors.As(err, &ve) || ve["headline"] == "" {
			t.Errorf("previewing without a headline: %v, want the save's refusal", err)
		}
	})
}
