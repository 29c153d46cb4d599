package article

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
	"broadsheet/internal/author"
	"broadsheet/internal/cache"
	"broadsheet/internal/section"
)

// Store is what the service needs from storage. CreateArticle and
// UpdateArticle match or create the article's authors (by email) and tags
// (by slug) in the same transaction as the article, so a failure stores
// nothing.
type Store interface {
	Article(ctx context.Context, id int64) (Article, error)
	SectionByPath(ctx context.Context, path string) (section.Section, error)
	SectionChain(ctx context.Context, id int64) ([]section.Section, error)
	CreateArticle(ctx context.Context, a *Article) error
	UpdateArticle(ctx context.Context, a *Article, expectedVersion int) error
	DueArticles(ctx context.Context, now time.Time, limit int) ([]int64, error)
	Revisions(ctx context.Context, articleID int64) ([]Revision, error)
	Revision(ctx context.Context, articleID int64, version int) (Revision, error)
	AddCorrection(ctx context.Context, c *Correction, staffID int64) error
	SectionByID(ctx context.Context, id int64) (section.Section, error)
	ComputeRelated(ctx context.Context, a Article, limit int) error
	ListArticles(ctx context.Context, q ListQuery) ([]Article, error)
	// SetTranslation stores article id's language and pairs it with
	// counterpart (of language counterpartLang) both ways, undoing id's
	// earlier pair; counterpart 0 only unpairs id.
	SetTranslation(ctx context.Context, id int64, lang string, counterpart int64, counterpartLang string) error
	CountArticles(ctx context.Context, q ListQuery) (int, error)
	// InTx runs fn in one transaction that every call made with fn's
	// context joins: a change and its audit entry are kept or lost
	// together.
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// RelatedCount is how many related articles each article keeps.
const RelatedCount = 5

// maxClockSkew is how far ahead of this server's clock a given
// publication time may be, for newsroom clocks that run a little fast.
const maxClockSkew = 5 * time.Minute

// Service applies the newsroom's rules to article changes, keeps the audit
// log of them and invalidates every cached page a change touches.
type Service struct {
	store  Store
	cache  cache.Invalidator
	now    func() time.Time
	audit  *audit.Log    // nil records nothing
	images ImageResolver // nil: lead images are URLs only
	events Events        // nil reports nothing
}

// ImageResolver finds an uploaded image by its address, so an article's
// lead image carries the image's resized copies and size. ok is false for
// an address that is not an upload.
type ImageResolver interface {
	ResolveImage(ctx context.Context, url string) (srcset string, width, height int, ok bool, err error)
}

// SetAudit makes the service record every change in log.
func (s *Service) SetAudit(log *audit.Log) { s.audit = log }

// SetImages lets lead images refer to uploads.
func (s *Service) SetImages(r ImageResolver) { s.images = r }

// Now is the service's clock, which the scheduler also reads.
func (s *Service) Now() time.Time { return s.now() }

// NewService builds a Service.
func NewService(store Store, inv cache.Invalidator, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, cache: inv, now: now}
}

// Create validates in and stores a new article written by actor, with its
// audit entry in the same transaction.
func (s *Service) Create(ctx context.Context, actor account.Staff, in Input) (Article, error) {
	return s.CreatePaired(ctx, actor, in, nil)
}

// CreatePaired is Create that also sets the new article's language and
// counterpart by SetTranslation's rules (t nil: neither), in the same
// transaction: a refused pair stores no article.
func (s *Service) CreatePaired(ctx context.Context, actor account.Staff, in Input, t *Translation) (Article, error) {
	a, err := s.prepareCreate(ctx, actor, in)
	if err != nil {
		return Article{}, err
	}
	var p *pairing
	if t != nil {
		if p, err = s.checkTranslation(ctx, actor, Article{}, *t); err != nil {
			return Article{}, err
		}
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.recheckImage(ctx, &a); err != nil {
			return err
		}
		if err := s.store.CreateArticle(ctx, &a); err != nil {
			return err
		}
		if err := s.emit(ctx, Article{}, a, true); err != nil {
			return err
		}
		if err := s.audit.Write(ctx, actor, "article.create", "article", a.ID, a.Headline, nil, SnapshotOf(a)); err != nil {
			return err
		}
		if p != nil {
			return s.writeTranslation(ctx, actor, a, p)
		}
		return nil
	})
	if err != nil {
		return Article{}, err
	}
	s.woken()
	s.invalidate(ctx, a, Article{})
	if p != nil {
		s.invalidateTranslation(a.ID, p)
		a.Language, a.CounterpartID = p.t.Language, p.t.CounterpartID
	}
	return a, nil
}

// prepareCreate is the new article Create would store, checked and built
// as Create does, stored nowhere.
func (s *Service) prepareCreate(ctx context.Context, actor account.Staff, in Input) (Article, error) {
	if err := in.Normalize(); err != nil {
		return Article{}, err
	}
	if err := check(actor, ActCreate, in.Status, true); err != nil {
		return Article{}, err
	}
	if !in.PublishedAt.IsZero() {
		if err := check(actor, ActSetTime, in.Status, true); err != nil {
			return Article{}, err
		}
	}
	a := Article{CreatedBy: actor.ID, SavedBy: actor.ID}
	if err := s.apply(ctx, &a, in); err != nil {
		return Article{}, err
	}
	return a, nil
}

// Update replaces the article's fields with in. version must be the version
// the caller read (0 skips the check); a stale one gets ErrVersionClash.
func (s *Service) Update(ctx context.Context, actor account.Staff, id int64, in Input, version int) (Article, error) {
	return s.update(ctx, actor, id, in, version, ActEdit, "article.update", nil)
}

// UpdatePaired is Update that also sets the article's language and
// counterpart by SetTranslation's rules (t nil: neither), in the same
// transaction as the save: a version clash changes no pair, and a
// refused pair saves nothing.
func (s *Service) UpdatePaired(ctx context.Context, actor account.Staff, id int64, in Input, version int, t *Translation) (Article, error) {
	return s.update(ctx, actor, id, in, version, ActEdit, "article.update", t)
}

// update is Update for action (edit, or restore of a revision), kept in
// the audit log as auditAction. A change of status inside a save is the
// workflow step it amounts to, and the policy is asked about that step
// too, as about a new address or publication time.
func (s *Service) update(ctx context.Context, actor account.Staff, id int64, in Input, version int, action Action, auditAction string, t *Translation) (Article, error) {
	a, old, err := s.prepareUpdate(ctx, actor, id, in, action)
	if err != nil {
		return Article{}, err
	}
	var p *pairing
	if t != nil {
		if p, err = s.checkTranslation(ctx, actor, old, *t); err != nil {
			return Article{}, err
		}
	}
	if version == 0 {
		version = old.Version
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.recheckImage(ctx, &a); err != nil {
			return err
		}
		if err := s.store.UpdateArticle(ctx, &a, version); err != nil {
			return err
		}
		if err := s.emit(ctx, old, a, false); err != nil {
			return err
		}
		if err := s.audit.Write(ctx, actor, auditAction, "article", a.ID, a.Headline, SnapshotOf(old), SnapshotOf(a)); err != nil {
			return err
		}
		if p != nil {
			return s.writeTranslation(ctx, actor, a, p)
		}
		return nil
	})
	if err != nil {
		return Article{}, err
	}
	s.woken()
	s.invalidate(ctx, a, old)
	if p != nil {
		s.invalidateTranslation(a.ID, p)
		a.Language, a.CounterpartID = p.t.Language, p.t.CounterpartID
	}
	return a, nil
}

// prepareUpdate is the article update would store for action, checked
// and built as update does, stored nowhere; old is the article as stored.
func (s *Service) prepareUpdate(ctx context.Context, actor account.Staff, id int64, in Input, action Action) (a, old Article, err error) {
	old, err = s.load(ctx, actor, id, action)
	if err != nil {
		return Article{}, Article{}, err
	}
	if err := in.Normalize(); err != nil {
		return Article{}, Article{}, err
	}
	mine := own(actor, old)
	if in.Status != old.Status {
		if err := check(actor, stepAction(old.Status, in.Status), old.Status, mine); err != nil {
			return Article{}, Article{}, err
		}
	}
	if in.Slug != "" && in.Slug != old.Slug {
		if err := check(actor, ActChangeAddress, old.Status, mine); err != nil {
			return Article{}, Article{}, err
		}
	}
	if !in.PublishedAt.IsZero() && !in.PublishedAt.Equal(old.PublishedAt) {
		if err := check(actor, ActSetTime, old.Status, mine); err != nil {
			return Article{}, Article{}, err
		}
	}
	a = old
	a.SavedBy = actor.ID
	if (old.Status == Draft || old.Status == Review) && in.Status == Published && in.PublishedAt.Equal(old.PublishedAt) {
		// Published by this save without a time chosen with it: now, as
		// by SetStatus, never a time the draft carried.
		in.PublishedAt, a.PublishedAt = time.Time{}, time.Time{}
	}
	if err := s.apply(ctx, &a, in); err != nil {
		return Article{}, Article{}, err
	}
	if (a.Status == Draft || a.Status == Review) && !May(actor.Role, ActSetTime, a.Status, mine) {
		// A draft saved by someone who may not choose its publication time
		// carries none, so an editor's later publication takes its own
		// time and never one a reporter put there.
		a.PublishedAt = time.Time{}
	}
	return a, old, nil
}

// Preview is the article a save of in would make — of article id, or of
// a new article when id is 0 — stored nowhere: the save's permission
// check, validation and rendering (section, body with its figures, lead
// image, authors, tags), so that what the newsroom previews is what the
// save would publish.
func (s *Service) Preview(ctx context.Context, actor account.Staff, id int64, in Input) (Article, error) {
	if id == 0 {
		return s.prepareCreate(ctx, actor, in)
	}
	a, old, err := s.prepareUpdate(ctx, actor, id, in, ActEdit)
	if err != nil {
		return Article{}, err
	}
	// Authors already on the article keep who they are (their page's
	// address); new ones are matched or created only by a save.
	for i, au := range a.Authors {
		for _, was := range old.Authors {
			if strings.EqualFold(was.Email, au.Email) {
				a.Authors[i].ID, a.Authors[i].Slug = was.ID, was.Slug
			}
		}
	}
	return a, nil
}

// SetStatus publishes (st Published) or unpublishes (st Draft) an article.
func (s *Service) SetStatus(ctx context.Context, actor account.Staff, id int64, st Status) (Article, error) {
	action := ActUnpublish
	if st == Published {
		action = ActPublish
	}
	old, err := s.load(ctx, actor, id, action)
	if err != nil {
		return Article{}, err
	}
	if old.Status == st {
		return Article{}, fmt.Errorf("%w: the article is already %s", ErrWrongStatus, st)
	}
	return s.changeStatus(ctx, actor, old, st, time.Time{}, old.Version)
}

// stepAction is the workflow step a change of status amounts to.
func stepAction(from, to Status) Action {
	switch {
	case to == Review:
		return ActSubmit
	case to == Scheduled:
		return ActSchedule
	case to == Published:
		return ActPublish
	default:
		return ActUnpublish
	}
}

// apply copies validated input onto a, resolving the section and rendering
// the body.
func (s *Service) apply(ctx context.Context, a *Article, in Input) error {
	sec, err := s.store.SectionByPath(ctx, in.Section)
	if errors.Is(err, section.ErrNotFound) {
		return ValidationError{"section": fmt.Sprintf("no section has the path %q", in.Section)}
	}
	if err != nil {
		return err
	}
	html, err := RenderMarkdownWith(ctx, in.Body, s.images)
	var ve ValidationError
	switch {
	case errors.As(err, &ve):
		return ve
	case err != nil:
		// ErrBusy, or a media library that could not say which figures
		// are uploads (a save without their srcset would keep it so).
		return fmt.Errorf("article: render body: %w", err)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	a.UpdatedAt = now
	a.Headline, a.Deck, a.Body, a.BodyHTML = in.Headline, in.Deck, in.Body, html
	if a.Slug == "" || a.Status != Published {
		a.Slug = Slugify(in.Headline) // a published URL stays put
	}
	if in.Slug != "" {
		a.Slug = in.Slug
	}
	a.SEOTitle, a.SEODescription = in.SEOTitle, in.SEODescription
	a.SectionID = sec.ID
	a.AlsoIn = nil
	for _, p := range in.AlsoIn {
		other, err := s.store.SectionByPath(ctx, p)
		if errors.Is(err, section.ErrNotFound) {
			return ValidationError{"also_in": fmt.Sprintf("no section has the path %q", p)}
		}
		if err != nil {
			return err
		}
		if other.ID != sec.ID {
			a.AlsoIn = append(a.AlsoIn, other.ID)
		}
	}
	a.LeadImage = in.LeadImage
	if err := s.resolveImage(ctx, &a.LeadImage); err != nil {
		return err
	}
	a.Status = in.Status
	switch {
	case a.Status == Scheduled && !in.PublishedAt.After(now):
		return ValidationError{"published_at": "must be a time in the future to schedule the article"}
	case a.Status != Scheduled && in.PublishedAt.After(now.Add(maxClockSkew)):
		// A future date would put the article on the site at once and on
		// top of every list for good: that is what scheduling is for.
		return ValidationError{"published_at": "must not be in the future; schedule the article instead"}
	}
	if a.Status == Published || a.Status == Scheduled {
		if err := checkAltText(a.BodyHTML); err != nil {
			return err
		}
	}
	switch {
	case !in.PublishedAt.IsZero():
		a.PublishedAt = in.PublishedAt.UTC().Truncate(time.Millisecond)
	case a.Status == Published && a.PublishedAt.IsZero():
		a.PublishedAt = now
	}
	a.Authors = make([]author.Author, len(in.Authors))
	for i, b := range in.Authors {
		a.Authors[i] = author.Author{Name: b.Name, Email: b.Email}
	}
	a.Tags = make([]Tag, len(in.Tags))
	for i, t := range in.Tags {
		a.Tags[i] = Tag{Name: t, Slug: Slugify(t)}
	}
	return nil
}

// invalidate chooses a published article's related articles and drops
// every cached page that shows a or showed old: the
// article itself, its section fronts up the tree, the home page, the
// site-wide feeds and sitemaps, its authors' and tags' pages and feeds.
func (s *Service) invalidate(ctx context.Context, a, old Article) {
	if a.Status == Published {
		// Chosen now, once per save, so that article pages only read them.
		// A failure leaves the previous choice, and the page falls back to
		// its section's latest: not worth failing the save for.
		if err := s.store.ComputeRelated(ctx, a, RelatedCount); err != nil {
			slog.ErrorContext(ctx, "related articles not chosen", "article", a.ID, "err", err)
		}
	}
	s.cache.Invalidate(s.pageKeys(ctx, a, old)...)
}

// pageKeys names the cached pages that show a or old, the article before
// and after a change (old is zero for a new article).
func (s *Service) pageKeys(ctx context.Context, a, old Article) []string {
	keys := []string{cache.KeyHome, cache.KeyArticles}
	for _, x := range []Article{a, old} {
		if x.ID == 0 {
			continue
		}
		chain, err := s.store.SectionChain(ctx, x.SectionID)
		if err != nil {
			keys = append(keys, cache.KeyAll) // cannot tell which fronts: drop all
		}
		keys = append(keys, CacheKeys(x, chain)...)
		for _, id := range x.AlsoIn {
			other, err := s.store.SectionChain(ctx, id)
			if err != nil {
				keys = append(keys, cache.KeyAll)
			}
			for _, sec := range other {
				keys = append(keys, cache.SectionKey(sec.ID))
			}
		}
		if !x.PublishedAt.IsZero() {
			keys = append(keys, cache.MonthKey(x.PublishedAt)) // the sitemap that lists it
		}
	}
	return keys
}

// CacheKeys names the content an article's page shows, and so the cached
// pages a change to the article must drop: the article, its section and
// every section above it, its authors and its tags.
func CacheKeys(a Article, chain []section.Section) []string {
	keys := []string{cache.ArticleKey(a.ID)}
	for _, sec := range chain {
		keys = append(keys, cache.SectionKey(sec.ID))
	}
	for _, au := range a.Authors {
		keys = append(keys, cache.AuthorKey(au.ID))
	}
	for _, t := range a.Tags {
		keys = append(keys, cache.TagKey(t.ID))
	}
	return keys
}
