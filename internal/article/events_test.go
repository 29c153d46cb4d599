package article_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// eventLog keeps the events the service emits; with fail set, Emit
// fails, as a database error inside the transaction would.
type eventLog struct {
	events []string
	woken  int
	fail   bool
}

func (l *eventLog) Emit(ctx context.Context, event string, data any) error {
	if l.fail {
		return errors.New("outbox unavailable")
	}
	l.events = append(l.events, event)
	return nil
}

func (l *eventLog) Wake() { l.woken++ }

// Each change readers can see is one event, whichever path makes it: the
// editor's save, a step of the workflow, the scheduler, a correction.
// Drafts and reviews emit nothing. A change whose event cannot be
// written is not kept.
func TestEvents_everyPathEmitsInTheChangesTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		n := openNewsroom(t, e, nil)
		ev := &eventLog{}
		n.svc.SetEvents(ev)
		editor := n.staff[account.Editor]
		step := func(what string, want []string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if !slices.Equal(ev.events, want) {
				t.Fatalf("%s: events %v, want %v", what, ev.events, want)
			}
			ev.events = nil
		}
		d, err := n.svc.Create(ctx, editor, draftInput("Quiet draft"))
		step("a draft", nil, err)
		_, err = n.svc.Schedule(ctx, editor, d.ID, n.clock.Add(time.Minute), 0)
		step("scheduled", nil, err)
		n.clock = n.clock.Add(2 * time.Minute)
		_, err = n.svc.PublishDue(ctx)
		step("the scheduler", []string{"article.published"}, err)
		in := draftInput("Quiet draft, revised")
		in.Status = article.Published
		_, err = n.svc.Update(ctx, editor, d.ID, in, 0)
		step("an edit of a published article", []string{"article.updated"}, err)
		_, err = n.svc.AddCorrection(ctx, editor, d.ID, "The meeting was on Wednesday.")
		step("a correction", []string{"article.updated"}, err)
		_, err = n.svc.SetStatus(ctx, editor, d.ID, article.Draft)
		step("unpublished", []string{"article.unpublished"}, err)
		in.Status = article.Published
		_, err = n.svc.Create(ctx, editor, in)
		step("created published", []string{"article.published"}, err)
		if ev.woken < 5 {
			t.Errorf("the sender was woken %d times, want at least once per event", ev.woken)
		}

		ev.fail = true
		if _, err := n.svc.SetStatus(ctx, editor, d.ID, article.Published); err == nil {
			t.Fatal("publishing with no outbox succeeded, want it refused")
		}
		if a, err := n.db.Article(ctx, d.ID); err != nil || a.Status != article.Draft {
			t.Errorf("after the failed event: status %s, %v; want the article still a draft", a.Status, err)
		}
	})
}
