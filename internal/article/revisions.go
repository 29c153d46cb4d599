package article

import (
	"context"
	"errors"

	"broadsheet/internal/account"
	"broadsheet/internal/section"
)

// Revisions lists an article's saved states, newest first, for anyone the
// policy lets see its history.
func (s *Service) Revisions(ctx context.Context, actor account.Staff, id int64) (Article, []Revision, error) {
	a, err := s.load(ctx, actor, id, ActHistory)
	if err != nil {
		return Article{}, nil, err
	}
	revs, err := s.store.Revisions(ctx, id)
	return a, revs, err
}

// Revision loads one saved state of an article.
func (s *Service) Revision(ctx context.Context, actor account.Staff, id int64, version int) (Revision, error) {
	if _, err := s.load(ctx, actor, id, ActHistory); err != nil {
		return Revision{}, err
	}
	return s.store.Revision(ctx, id, version)
}

// Restore saves an earlier revision's text as the article's newest
// version; nothing is lost, since the text it replaces stays a revision
// too. The status and publication time stay as they are now: restoring
// text never publishes or unpublishes. current is the version the editor
// read, checked like any save.
func (s *Service) Restore(ctx context.Context, actor account.Staff, id int64, version, current int) (Article, error) {
	now, err := s.load(ctx, actor, id, ActRestore)
	if err != nil {
		return Article{}, err
	}
	rv, err := s.Revision(ctx, actor, id, version)
	if err != nil {
		return Article{}, err
	}
	sec, err := s.store.SectionByID(ctx, rv.Snapshot.SectionID)
	if errors.Is(err, section.ErrNotFound) {
		// Deleted since: the text comes back into the section the article
		// is in now.
		sec, err = s.store.SectionByID(ctx, now.SectionID)
	}
	if err != nil {
		return Article{}, err
	}
	in := InputFromSnapshot(rv.Snapshot, sec.Path)
	for _, id := range rv.Snapshot.AlsoIn {
		if other, err := s.store.SectionByID(ctx, id); err == nil {
			in.AlsoIn = append(in.AlsoIn, other.Path) // a section deleted since is dropped
		}
	}
	in.Status, in.PublishedAt = now.Status, now.PublishedAt
	if now.Status == Published {
		in.Slug = now.Slug // a restore does not move the published address
	}
	return s.update(ctx, actor, id, in, current, ActRestore, "article.restore", nil)
}

// InputFromSnapshot turns a saved state back into the input that makes it.
func InputFromSnapshot(sn Snapshot, sectionPath string) Input {
	return Input{Headline: sn.Headline, Deck: sn.Deck, Body: sn.Body, Section: sectionPath,
		Authors: append([]Byline(nil), sn.Authors...), Tags: append([]string(nil), sn.Tags...),
		LeadImage: sn.LeadImage, Status: sn.Status, PublishedAt: sn.PublishedAt, Slug: sn.Slug,
		SEOTitle: sn.SEOTitle, SEODescription: sn.SEODescription}
}
