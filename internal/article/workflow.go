package article

import (
	"context"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
)

// MaxCorrection bounds a correction's text.
const MaxCorrection = 2000

// ErrWrongStatus is returned for a step the article's status does not
// allow, such as submitting a published article for review.
var ErrWrongStatus = errors.New("the article's status does not allow that")

// Submit sends a draft to the editors for review. Its reporter or any
// editor may submit it.
func (s *Service) Submit(ctx context.Context, actor account.Staff, id int64, version int) (Article, error) {
	old, err := s.load(ctx, actor, id, ActSubmit)
	if err != nil {
		return Article{}, err
	}
	if old.Status != Draft {
		return Article{}, fmt.Errorf("%w: only a draft can be submitted for review; this article is %s", ErrWrongStatus, old.Status)
	}
	return s.changeStatus(ctx, actor, old, Review, time.Time{}, version)
}

// Schedule sets the time the scheduler publishes the article. Only
// editors and admins schedule; the time must be in the future.
func (s *Service) Schedule(ctx context.Context, actor account.Staff, id int64, at time.Time, version int) (Article, error) {
	old, err := s.load(ctx, actor, id, ActSchedule)
	if err != nil {
		return Article{}, err
	}
	if old.Status == Published {
		return Article{}, fmt.Errorf("%w: the article is already published", ErrWrongStatus)
	}
	if at.IsZero() || !at.After(s.now()) {
		return Article{}, ValidationError{"publish_at": "must be a time in the future"}
	}
	if at.Year() > 9999 {
		return Article{}, ValidationError{"publish_at": "must be a date before the year 10000"}
	}
	return s.changeStatus(ctx, actor, old, Scheduled, at, version)
}

// changeStatus moves an article to st (publishing at at when scheduled),
// checking the version the caller read (0 skips the check), and keeps its
// audit entry in the same transaction.
func (s *Service) changeStatus(ctx context.Context, actor account.Staff, old Article, st Status, at time.Time, version int) (Article, error) {
	if version == 0 {
		version = old.Version
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	a := old
	a.SavedBy = actor.ID
	a.Status = st
	switch st {
	case Published:
		if err := checkAltText(a.BodyHTML); err != nil {
			return Article{}, err
		}
		if a.LeadImage.URL != "" && a.LeadImage.Alt == "" {
			return Article{}, ValidationError{"lead_image.alt": "must describe the image before the article is published"}
		}
		// A draft or an article in review is published now: a time it
		// carries was not chosen by whoever publishes it (it may be a
		// reporter's, from before only editors chose times, or left from
		// an earlier publication). An editor who wants another time gives
		// it with the change of status (Update). A scheduled article keeps
		// its time unless it is published before it.
		if a.PublishedAt.IsZero() || old.Status == Draft || old.Status == Review ||
			old.Status == Scheduled && a.PublishedAt.After(now) {
			a.PublishedAt = now
		}
	case Scheduled:
		if err := checkAltText(a.BodyHTML); err != nil {
			return Article{}, err
		}
		a.PublishedAt = at.UTC().Truncate(time.Millisecond)
	case Draft, Review:
		if old.Status == Scheduled {
			a.PublishedAt = time.Time{} // no longer due
		}
	}
	a.UpdatedAt = now
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateArticle(ctx, &a, version); err != nil {
			return err
		}
		if err := s.emit(ctx, old, a, false); err != nil {
			return err
		}
		return s.audit.Write(ctx, actor, "article."+statusAction(old.Status, st), "article", a.ID, a.Headline,
			map[string]any{"status": old.Status, "published_at": old.PublishedAt},
			map[string]any{"status": a.Status, "published_at": a.PublishedAt})
	})
	if err != nil {
		return Article{}, err
	}
	s.woken()
	s.invalidate(ctx, a, old)
	return a, nil
}

func statusAction(from, to Status) string {
	switch {
	case to == Review:
		return "submit"
	case to == Scheduled:
		return "schedule"
	case to == Published:
		return "publish"
	case from == Published:
		return "unpublish"
	default:
		return "return-to-draft"
	}
}

// dueBatch bounds one pass of the scheduler; a longer backlog is taken in
// the next passes.
const dueBatch = 100

// PublishDue publishes every scheduled article whose time has come and
// returns how many it published. Scheduled articles live in the database,
// so a restart loses none: the first pass after it publishes whatever
// fell due while the site was down. Instances racing for the same article
// are kept apart by its version: one publishes, the others see a clash
// and move on.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	ids, err := s.store.DueArticles(ctx, s.now(), dueBatch)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		old, err := s.store.Article(ctx, id)
		if err != nil {
			return n, err
		}
		if old.Status != Scheduled {
			// Another instance published (or an editor moved) it since
			// the list was read. Its pages are dropped here too: had the
			// winner stopped between its commit and its broadcast, this
			// instance's fronts would never show the story.
			s.invalidateLost(ctx, old)
			continue
		}
		a := old
		a.Status = Published
		a.UpdatedAt = s.now().UTC().Truncate(time.Millisecond)
		err = s.store.InTx(ctx, func(ctx context.Context) error {
			if err := s.store.UpdateArticle(ctx, &a, old.Version); err != nil {
				return err
			}
			if err := s.emit(ctx, old, a, false); err != nil {
				return err
			}
			return s.audit.Write(ctx, audit.System, "article.publish", "article", a.ID, a.Headline,
				map[string]any{"status": old.Status}, map[string]any{"status": a.Status, "published_at": a.PublishedAt})
		})
		if errors.Is(err, ErrVersionClash) {
			// Another instance, or an editor, got there first: drop its
			// pages here all the same, as above.
			if cur, err := s.store.Article(ctx, id); err == nil {
				s.invalidateLost(ctx, cur)
			} else {
				s.invalidateLost(ctx, old)
			}
			continue
		}
		if err != nil {
			return n, err
		}
		s.woken()
		s.invalidate(ctx, a, old)
		n++
	}
	return n, nil
}

// invalidateLost drops the pages of an article whose scheduled
// publication another instance won. It is rare (instances racing for the
// same story) and cheap, and it keeps this instance from relying on the
// winner's broadcast alone.
func (s *Service) invalidateLost(ctx context.Context, a Article) {
	s.cache.Invalidate(s.pageKeys(ctx, a, Article{})...)
}

// AddCorrection appends a correction to a published article; it is shown
// on the article with its time. Editors and admins only.
func (s *Service) AddCorrection(ctx context.Context, actor account.Staff, id int64, text string) (Correction, error) {
	a, err := s.load(ctx, actor, id, ActCorrect)
	if err != nil {
		return Correction{}, err
	}
	if a.Status != Published {
		return Correction{}, fmt.Errorf("%w: corrections are added to published articles", ErrWrongStatus)
	}
	text = strings.TrimSpace(text)
	v := ValidationError{}
	switch {
	case text == "":
		v["correction"] = "must say what was wrong and what is right"
	case !utf8.ValidString(text) || strings.ContainsRune(text, 0):
		v["correction"] = "is not valid text"
	case utf8.RuneCountInString(text) > MaxCorrection:
		v["correction"] = fmt.Sprintf("must be at most %d characters", MaxCorrection)
	}
	if len(v) > 0 {
		return Correction{}, v
	}
	c := Correction{ArticleID: id, Body: text, CreatedAt: s.now().UTC().Truncate(time.Millisecond)}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.AddCorrection(ctx, &c, actor.ID); err != nil {
			return err
		}
		// A correction changes what readers see of a published article.
		if err := s.emit(ctx, a, a, false); err != nil {
			return err
		}
		return s.audit.Write(ctx, actor, "article.correct", "article", id, a.Headline, nil, map[string]string{"correction": text})
	})
	if err != nil {
		return Correction{}, err
	}
	s.woken()
	s.invalidate(ctx, a, Article{})
	return c, nil
}

// imgTag finds the images in rendered HTML and their alt attribute.
var imgTag = regexp.MustCompile(`<img\b[^>]*>`)
var altAttr = regexp.MustCompile(`\balt="([^"]*)"`)

// checkAltText refuses a body with an image that does not describe
// itself: publishing requires alt text on every image.
//
// It also refuses the placeholder the editor's script writes where an
// image is uploading (![Uploading name…](#uploading-N)): published, it
// would be a broken image on the reader's page.
func checkAltText(bodyHTML string) error {
	for _, m := range imgSrc.FindAllStringSubmatch(bodyHTML, -1) {
		if strings.HasPrefix(html.UnescapeString(m[1]), "#uploading-") {
			return ValidationError{"body": "an image is still uploading; wait for it or remove it"}
		}
	}
	for _, tag := range imgTag.FindAllString(bodyHTML, -1) {
		m := altAttr.FindStringSubmatch(tag)
		if m == nil || strings.TrimSpace(m[1]) == "" {
			return ValidationError{"body": "every image needs alt text before publishing: write it between the brackets, as in ![a flooded street in Mapo](/media/...)"}
		}
	}
	return nil
}

// recheckImage resolves the lead image again inside the save's
// transaction: there the resolver's lock orders the save with a delete of
// the image from the media library, so the save either commits first (and
// the delete sees it and is refused) or finds the image gone and is
// refused itself. Resolving only before the transaction would leave a
// moment in which a delete could slip between the check and the write.
// The body's figures are asked again the same way, so that an image only
// the body shows is held as well.
func (s *Service) recheckImage(ctx context.Context, a *Article) error {
	if err := s.resolveImage(ctx, &a.LeadImage); err != nil {
		return err
	}
	if s.images == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, m := range imgSrc.FindAllStringSubmatch(a.BodyHTML, -1) {
		url := html.UnescapeString(m[1])
		if seen[url] || !strings.HasPrefix(url, "/media/") {
			continue
		}
		seen[url] = true
		if _, _, _, _, err := s.images.ResolveImage(ctx, url); err != nil {
			return bodyImageError(url, err)
		}
	}
	return nil
}

// imgSrc finds the address of each image in rendered HTML.
var imgSrc = regexp.MustCompile(`<img\b[^>]*?\bsrc="([^"]*)"`)

// ErrUnknownImage is an ImageResolver's answer for an address of the media
// library that names no image (deleted, or never uploaded): the article is
// refused rather than kept with a broken image. Each caller names the field.
var ErrUnknownImage = errors.New("names no image of the media library; it may have been deleted")

// bodyImageError names the body as the field for a figure's image the
// library does not have.
func bodyImageError(url string, err error) error {
	if errors.Is(err, ErrUnknownImage) {
		return ValidationError{"body": fmt.Sprintf("the image %s %s", url, ErrUnknownImage.Error())}
	}
	return err
}

// resolveImage fills in an uploaded lead image's resized copies and size;
// an image given by any other address keeps none.
func (s *Service) resolveImage(ctx context.Context, im *Image) error {
	im.Srcset, im.Width, im.Height = "", 0, 0
	if s.images == nil || im.URL == "" {
		return nil
	}
	srcset, w, h, ok, err := s.images.ResolveImage(ctx, im.URL)
	if errors.Is(err, ErrUnknownImage) {
		return ValidationError{"lead_image.url": ErrUnknownImage.Error()}
	}
	if err != nil {
		return err
	}
	if ok {
		im.Srcset, im.Width, im.Height = srcset, w, h
	}
	return nil
}
