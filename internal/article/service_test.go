package article_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/audit"
	"broadsheet/internal/cache"
	"broadsheet/internal/section"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// newsroom is a Service on a real database with one member per role and
// a second reporter.
type newsroom struct {
	db       *store.DB
	svc      *article.Service
	log      *audit.Log
	staff    map[account.Role]account.Staff
	stranger account.Staff // another reporter
	clock    time.Time
}

func openNewsroom(t *testing.T, e storetest.Engine, auditStore audit.Store) *newsroom {
	t.Helper()
	ctx := context.Background()
	db := e.Open(t)
	sec := section.Section{Slug: "politics", Name: "Politics"}
	if err := db.CreateSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	n := &newsroom{db: db, staff: map[account.Role]account.Staff{}, clock: time.Now().UTC()}
	for _, r := range article.Roles {
		s, err := db.EnsureStaff(ctx, account.Staff{Email: string(r) + "@paper.example", Name: string(r), Role: r})
		if err != nil {
			t.Fatal(err)
		}
		n.staff[r] = s
	}
	var err error
	if n.stranger, err = db.EnsureStaff(ctx, account.Staff{Email: "other@paper.example", Name: "Other", Role: account.Reporter}); err != nil {
		t.Fatal(err)
	}
	if auditStore == nil {
		auditStore = db
	}
	n.svc = article.NewService(db, cache.Nop{}, func() time.Time { return n.clock })
	n.log = audit.New(auditStore, nil, func() time.Time { return n.clock })
	n.svc.SetAudit(n.log)
	return n
}

func draftInput(headline string) article.Input {
	return article.Input{Headline: headline, Body: "The council met on Tuesday.", Section: "politics",
		Authors: []article.Byline{{Name: "Mina Park", Email: "mina@paper.example"}}, Status: article.Draft}
}

// A reporter's or a moderator's reads of another's draft are not found,
// lists hold only the reporter's own articles, and moderators write
// nothing: the leaks the JSON API had, closed where both doors ask.
func TestService_readsAndListsFollowThePolicy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		n := openNewsroom(t, e, nil)
		reporter, moderator, editor := n.staff[account.Reporter], n.staff[account.Moderator], n.staff[account.Editor]
		theirs, err := n.svc.Create(ctx, n.stranger, draftInput("Another reporter's draft"))
		if err != nil {
			t.Fatal(err)
		}
		mine, err := n.svc.Create(ctx, reporter, draftInput("My draft"))
		if err != nil {
			t.Fatal(err)
		}
		pub := draftInput("Published story")
		pub.Status = article.Published
		published, err := n.svc.Create(ctx, editor, pub)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			who  account.Staff
			id   int64
			want error
		}{
			{reporter, theirs.ID, article.ErrNotFound},
			{moderator, theirs.ID, article.ErrNotFound},
			{moderator, mine.ID, article.ErrNotFound},
			{reporter, mine.ID, nil},
			{reporter, published.ID, nil},
			{moderator, published.ID, nil},
			{editor, theirs.ID, nil},
		} {
			if _, err := n.svc.Get(ctx, c.who, c.id); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
				t.Errorf("Get %d as %s: %v, want %v", c.id, c.who.Email, err, c.want)
			}
		}
		list, err := n.svc.List(ctx, reporter, article.ListQuery{Status: article.Draft, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != mine.ID {
			t.Errorf("a reporter's drafts: %d articles, want only their own (%d)", len(list), mine.ID)
		}
		if _, err := n.svc.List(ctx, moderator, article.ListQuery{Limit: 50}); !errors.Is(err, article.ErrForbidden) {
			t.Errorf("a moderator's list: %v, want forbidden", err)
		}
		if all, _ := n.svc.List(ctx, editor, article.ListQuery{Limit: 50}); len(all) != 3 {
			t.Errorf("an editor's list: %d articles, want 3", len(all))
		}
		for _, st := range []article.Status{article.Draft, article.Review} {
			in := draftInput("Moderator's story")
			in.Status = st
			if _, err := n.svc.Create(ctx, moderator, in); !errors.Is(err, article.ErrForbidden) {
				t.Errorf("a moderator creating a %s: %v, want forbidden", st, err)
			}
		}
		// The store refuses a list that does not say whose articles.
		if _, err := n.db.ListArticles(ctx, article.ListQuery{Limit: 5}); !errors.Is(err, article.ErrNoScope) {
			t.Errorf("a list without a scope: %v, want ErrNoScope", err)
		}
	})
}

// Only roles that publish choose a publication time: a reporter's is
// refused with the rule, and an editor publishing a reporter's draft
// gives it the time of publication.
func TestService_reporterCannotBackdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		n := openNewsroom(t, e, nil)
		reporter, editor := n.staff[account.Reporter], n.staff[account.Editor]
		back := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
		in := draftInput("Backdated")
		in.PublishedAt = back
		if _, err := n.svc.Create(ctx, reporter, in); !errors.Is(err, article.ErrForbidden) {
			t.Fatalf("a reporter's draft with published_at: %v, want forbidden", err)
		}
		a, err := n.svc.Create(ctx, reporter, draftInput("Backdated later"))
		if err != nil {
			t.Fatal(err)
		}
		in = draftInput("Backdated later")
		in.PublishedAt = back
		if _, err := n.svc.Update(ctx, reporter, a.ID, in, a.Version); !errors.Is(err, article.ErrForbidden) {
			t.Fatalf("a reporter setting published_at on a draft: %v, want forbidden", err)
		}
		// A draft that carries a time from before this rule (stored
		// directly) loses it when its reporter saves it.
		old, _ := n.db.Article(ctx, a.ID)
		old.PublishedAt = back
		if err := n.db.UpdateArticle(ctx, &old, old.Version); err != nil {
			t.Fatal(err)
		}
		saved, err := n.svc.Update(ctx, reporter, a.ID, draftInput("Backdated, edited"), old.Version)
		if err != nil {
			t.Fatal(err)
		}
		n.clock = n.clock.Add(time.Hour)
		pub, err := n.svc.SetStatus(ctx, editor, saved.ID, article.Published)
		if err != nil {
			t.Fatal(err)
		}
		if !pub.PublishedAt.Equal(n.clock.Truncate(time.Millisecond)) {
			t.Errorf("published at %v, want the time of publication %v", pub.PublishedAt, n.clock)
		}
		// A draft stored with a time before this rule, and published
		// without being saved again, takes the time of its publication too.
		legacy, err := n.svc.Create(ctx, reporter, draftInput("Backdated long ago"))
		if err != nil {
			t.Fatal(err)
		}
		legacy.PublishedAt = back
		if err := n.db.UpdateArticle(ctx, &legacy, legacy.Version); err != nil {
			t.Fatal(err)
		}
		n.clock = n.clock.Add(time.Hour)
		if pub, err := n.svc.SetStatus(ctx, editor, legacy.ID, article.Published); err != nil || !pub.PublishedAt.Equal(n.clock.Truncate(time.Millisecond)) {
			t.Errorf("a legacy backdated draft published at %v (%v), want the time of publication %v", pub.PublishedAt, err, n.clock)
		}
		// So does one published by a save that changes its status.
		legacy, err = n.svc.Create(ctx, reporter, draftInput("Backdated and patched"))
		if err != nil {
			t.Fatal(err)
		}
		legacy.PublishedAt = back
		if err := n.db.UpdateArticle(ctx, &legacy, legacy.Version); err != nil {
			t.Fatal(err)
		}
		in = draftInput("Backdated and patched")
		in.Status, in.PublishedAt = article.Published, back
		if pub, err := n.svc.Update(ctx, editor, legacy.ID, in, 0); err != nil || !pub.PublishedAt.Equal(n.clock.Truncate(time.Millisecond)) {
			t.Errorf("a legacy backdated draft published by a save at %v (%v), want the time of publication %v", pub.PublishedAt, err, n.clock)
		}
		// An editor may choose one.
		in = draftInput("Archive story")
		in.Status, in.PublishedAt = article.Published, back
		if got, err := n.svc.Create(ctx, editor, in); err != nil || !got.PublishedAt.Equal(back) {
			t.Errorf("an editor's backdated story: %v at %v", err, got.PublishedAt)
		}
	})
}

// failingAudit is an audit store that cannot write: a change whose entry
// cannot be written must not be kept.
type failingAudit struct{ *store.DB }

var errAuditDown = errors.New("audit table unavailable")

func (failingAudit) AddAuditEntry(context.Context, *audit.Entry) error { return errAuditDown }

// Every article change is written with its audit entry in one
// transaction: when the entry cannot be written, the change is not kept.
func TestService_changesAndAuditEntriesCommitTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		n := openNewsroom(t, e, nil)
		editor := n.staff[account.Editor]
		ok := n.svc // writes its entries
		broken := article.NewService(n.db, cache.Nop{}, func() time.Time { return n.clock })
		broken.SetAudit(audit.New(failingAudit{n.db}, nil, nil))

		draft := func(t *testing.T) article.Article {
			a, err := ok.Create(ctx, editor, draftInput(fmt.Sprintf("Story %d", time.Now().UnixNano())))
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		published := func(t *testing.T) article.Article {
			a, err := ok.SetStatus(ctx, editor, draft(t).ID, article.Published)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		steps := []struct {
			name string
			prep func(t *testing.T) article.Article
			act  func(a article.Article) error
		}{
			{"update", draft, func(a article.Article) error {
				_, err := broken.Update(ctx, editor, a.ID, draftInput("Changed"), a.Version)
				return err
			}},
			{"submit", draft, func(a article.Article) error {
				_, err := broken.Submit(ctx, editor, a.ID, a.Version)
				return err
			}},
			{"schedule", draft, func(a article.Article) error {
				_, err := broken.Schedule(ctx, editor, a.ID, n.clock.Add(time.Hour), a.Version)
				return err
			}},
			{"publish", draft, func(a article.Article) error {
				_, err := broken.SetStatus(ctx, editor, a.ID, article.Published)
				return err
			}},
			{"unpublish", published, func(a article.Article) error {
				_, err := broken.SetStatus(ctx, editor, a.ID, article.Draft)
				return err
			}},
			{"correct", published, func(a article.Article) error {
				_, err := broken.AddCorrection(ctx, editor, a.ID, "An earlier version misspelt a name.")
				return err
			}},
			{"restore", func(t *testing.T) article.Article {
				a, err := ok.Update(ctx, editor, draft(t).ID, draftInput("Second text"), 0)
				if err != nil {
					t.Fatal(err)
				}
				return a
			}, func(a article.Article) error {
				_, err := broken.Restore(ctx, editor, a.ID, 1, a.Version)
				return err
			}},
			{"publish due", func(t *testing.T) article.Article {
				a, err := ok.Schedule(ctx, editor, draft(t).ID, n.clock.Add(time.Minute), 0)
				if err != nil {
					t.Fatal(err)
				}
				n.clock = n.clock.Add(2 * time.Minute)
				return a
			}, func(article.Article) error {
				_, err := broken.PublishDue(ctx)
				return err
			}},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				before := s.prep(t)
				if err := s.act(before); !errors.Is(err, errAuditDown) {
					t.Fatalf("with the audit log down: %v, want its error", err)
				}
				after, err := n.db.Article(ctx, before.ID)
				if err != nil {
					t.Fatal(err)
				}
				if after.Version != before.Version || after.Status != before.Status || len(after.Corrections) != len(before.Corrections) {
					t.Errorf("version %d %s with %d corrections after, %d %s with %d before: a change was kept without its entry",
						after.Version, after.Status, len(after.Corrections), before.Version, before.Status, len(before.Corrections))
				}
			})
		}
		// And a new article whose entry cannot be written is not stored.
		if _, err := broken.Create(ctx, editor, draftInput("Never stored")); !errors.Is(err, errAuditDown) {
			t.Fatalf("create with the audit log down: %v", err)
		}
		all, err := n.db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		entries, err := n.log.Entries(ctx, audit.Query{Action: "article.create", Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		logged := map[int64]bool{}
		for _, en := range entries {
			logged[en.TargetID] = true
		}
		for _, a := range all {
			if !logged[a.ID] {
				t.Errorf("article %d (%q) is stored without its article.create entry", a.ID, a.Headline)
			}
		}
	})
}
