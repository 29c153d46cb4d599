// Package front sets the stories that lead the home page and the section
// fronts: the editors' picks, in order.
package front

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/audit"
	"broadsheet/internal/cache"
	"broadsheet/internal/section"
)

// How many stories the editors may pin on the home page and on a
// section front.
const (
	MaxTopStories   = 20
	MaxSectionPicks = 5
)

// Store is what the service needs from storage; InTx joins every call
// made with its context into one transaction.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Article(ctx context.Context, id int64) (article.Article, error)
	Sections(ctx context.Context) ([]section.Section, error)
	SectionByID(ctx context.Context, id int64) (section.Section, error)
	SetTopStories(ctx context.Context, ids []int64) error
	SetSectionPicks(ctx context.Context, sectionID int64, ids []int64) error
}

// ErrForbidden refuses a change by a role that may not choose the
// stories that lead the paper.
var ErrForbidden = errors.New("only editors and admins choose the top stories")

// Reason says why a list of picks was refused.
type Reason int

// The reasons a list of picks is refused.
const (
	TooMany      Reason = iota + 1 // more than the front's limit
	Twice                          // the same article listed twice
	NotPublished                   // no such article, or not published
	OtherSection                   // not in the section or any under it
)

// Refusal is a list of picks the service refused; nothing was stored.
type Refusal struct {
	Reason    Reason
	ArticleID int64 // the article refused, for all but TooMany
	Limit     int   // the front's limit, for TooMany
}

func (r *Refusal) Error() string {
	switch r.Reason {
	case TooMany:
		return fmt.Sprintf("may list at most %d articles", r.Limit)
	case Twice:
		return fmt.Sprintf("lists article %d twice", r.ArticleID)
	case OtherSection:
		return fmt.Sprintf("article %d is not in this section or any section under it", r.ArticleID)
	}
	return fmt.Sprintf("article %d is not a published article", r.ArticleID)
}

// Service sets the picks for both doors (the JSON API and the newsroom's
// curation page): one check of the list, one permission check, one
// audit entry in the change's transaction.
type Service struct {
	store Store
	log   *audit.Log
	cache cache.Invalidator
}

// NewService builds a Service; log and inv may be nil.
func NewService(store Store, log *audit.Log, inv cache.Invalidator) *Service {
	return &Service{store: store, log: log, cache: cache.OrNop(inv)}
}

func checkRole(actor account.Staff) error {
	if !actor.Role.CanPublish() {
		return ErrForbidden
	}
	return nil
}

// SetTopStories makes ids, in order, the home page's top stories; an
// empty list clears them.
func (s *Service) SetTopStories(ctx context.Context, actor account.Staff, ids []int64) error {
	if err := checkRole(actor); err != nil {
		return err
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.check(ctx, ids, MaxTopStories, nil); err != nil {
			return err
		}
		if err := s.store.SetTopStories(ctx, ids); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "curation.home", "home", 0, "", nil, map[string]any{"article_ids": nonNil(ids)})
	})
	if err != nil {
		return err
	}
	s.cache.Invalidate(cache.KeyHome)
	return nil
}

// SetSectionPicks makes ids, in order, the stories leading the front of
// section sectionID; each must be in that section or one under it.
func (s *Service) SetSectionPicks(ctx context.Context, actor account.Staff, sectionID int64, ids []int64) error {
	if err := checkRole(actor); err != nil {
		return err
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		sec, err := s.checkSection(ctx, sectionID, ids)
		if err != nil {
			return err
		}
		if err := s.store.SetSectionPicks(ctx, sec.ID, ids); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "curation.section", "section", sec.ID, sec.Path, nil, map[string]any{"article_ids": nonNil(ids)})
	})
	if err != nil {
		return err
	}
	s.cache.Invalidate(cache.SectionKey(sectionID))
	return nil
}

// CheckTopStories answers as SetTopStories would, storing nothing: the
// newsroom checks a list an editor is still arranging with it, so a
// change the save would refuse is refused while it is made.
func (s *Service) CheckTopStories(ctx context.Context, actor account.Staff, ids []int64) error {
	if err := checkRole(actor); err != nil {
		return err
	}
	return s.check(ctx, ids, MaxTopStories, nil)
}

// CheckSectionPicks answers as SetSectionPicks would, storing nothing.
func (s *Service) CheckSectionPicks(ctx context.Context, actor account.Staff, sectionID int64, ids []int64) error {
	if err := checkRole(actor); err != nil {
		return err
	}
	_, err := s.checkSection(ctx, sectionID, ids)
	return err
}

// checkSection checks ids as picks for the front of section sectionID:
// each must be in that section or one under it.
func (s *Service) checkSection(ctx context.Context, sectionID int64, ids []int64) (section.Section, error) {
	sec, err := s.store.SectionByID(ctx, sectionID)
	if err != nil {
		return sec, err
	}
	all, err := s.store.Sections(ctx)
	if err != nil {
		return sec, err
	}
	allowed := map[int64]bool{}
	for _, id := range section.NewTree(all).Subtree(sec.ID) {
		allowed[id] = true
	}
	return sec, s.check(ctx, ids, MaxSectionPicks, allowed)
}

// check refuses a list longer than limit, an article listed twice, one
// not published and, when allowed is not nil, one outside those sections.
func (s *Service) check(ctx context.Context, ids []int64, limit int, allowed map[int64]bool) error {
	if len(ids) > limit {
		return &Refusal{Reason: TooMany, Limit: limit}
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			return &Refusal{Reason: Twice, ArticleID: id}
		}
		seen[id] = true
		a, err := s.store.Article(ctx, id)
		if errors.Is(err, article.ErrNotFound) || (err == nil && a.Status != article.Published) {
			return &Refusal{Reason: NotPublished, ArticleID: id}
		}
		if err != nil {
			return err
		}
		if allowed != nil && !allowed[a.SectionID] && !slices.ContainsFunc(a.AlsoIn, func(s int64) bool { return allowed[s] }) {
			return &Refusal{Reason: OtherSection, ArticleID: id}
		}
	}
	return nil
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
