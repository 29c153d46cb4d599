package article

import (
	"context"
	"time"
)

// Events receives the article events outside systems are told of (the
// webhooks). Emit runs inside the change's transaction, so an event is
// kept exactly when its change is; Wake runs after the commit.
type Events interface {
	Emit(ctx context.Context, event string, data any) error
	Wake()
}

// SetEvents makes the service report publications, updates of published
// articles and unpublications to ev.
func (s *Service) SetEvents(ev Events) { s.events = ev }

// eventOf names the event a change of an article from old to a is, or ""
// for a change outside readers' sight (a draft saved, an article sent
// for review or scheduled). created is true for a new article.
func eventOf(old, a Article, created bool) string {
	wasOut := !created && old.Status == Published
	switch {
	case a.Status == Published && !wasOut:
		return "article.published"
	case a.Status == Published:
		return "article.updated"
	case wasOut:
		return "article.unpublished"
	}
	return ""
}

// emit reports the change from old to a, inside its transaction.
func (s *Service) emit(ctx context.Context, old, a Article, created bool) error {
	if s.events == nil {
		return nil
	}
	ev := eventOf(old, a, created)
	if ev == "" {
		return nil
	}
	data := map[string]any{"id": a.ID, "slug": a.Slug, "headline": a.Headline, "deck": a.Deck,
		"status": string(a.Status), "section_id": a.SectionID, "version": a.Version,
		"updated_at": a.UpdatedAt.UTC().Format(time.RFC3339Nano)}
	if !a.PublishedAt.IsZero() {
		data["published_at"] = a.PublishedAt.UTC().Format(time.RFC3339Nano)
	}
	return s.events.Emit(ctx, ev, data)
}

// woken tells the events' sender, after a commit, that deliveries wait.
func (s *Service) woken() {
	if s.events != nil {
		s.events.Wake()
	}
}
