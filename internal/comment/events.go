package comment

import (
	"context"
	"time"
)

// Events receives the comment events outside systems are told of (the
// webhooks): Emit inside the transaction that stores the comment, Wake
// after it commits.
type Events interface {
	Emit(ctx context.Context, event string, data any) error
	Wake()
}

// Transactor runs fn in one transaction that every store call made with
// fn's context joins (store.DB.InTx).
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// SetEvents makes Post report every comment it stores to ev, in the
// comment's own transaction run by tx: comment.created for one shown at
// once, comment.held for one held for a moderator.
func (s *Service) SetEvents(ev Events, tx Transactor) { s.events, s.tx = ev, tx }

// insert stores c and, when events are reported, its event with it.
func (s *Service) insert(ctx context.Context, c *Comment, ipHash, fp string, q PostQuery, check func(PostStats) error) error {
	if s.events == nil || s.tx == nil {
		return s.store.InsertComment(ctx, c, ipHash, fp, q, check)
	}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.InsertComment(ctx, c, ipHash, fp, q, check); err != nil {
			return err
		}
		event := "comment.created"
		if c.Status == Held {
			event = "comment.held"
		}
		return s.events.Emit(ctx, event, map[string]any{"id": c.ID, "article_id": c.ArticleID, "parent_id": c.ParentID,
			"reader_id": c.ReaderID, "status": string(c.Status), "body": c.Body,
			"created_at": c.CreatedAt.UTC().Format(time.RFC3339Nano)})
	})
	if err != nil {
		return err
	}
	s.events.Wake()
	return nil
}
