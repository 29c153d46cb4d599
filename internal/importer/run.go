package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/audit"
	"broadsheet/internal/cache"
	"broadsheet/internal/comment"
	"broadsheet/internal/media"
	"broadsheet/internal/page"
	"broadsheet/internal/redirect"
	"broadsheet/internal/section"
)

// Store is what an import needs from storage; store.DB implements it.
// Every call made with the context InTx gives joins its transaction.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	ImportID(ctx context.Context, source, kind, id string) (localID int64, hash string, found bool, err error)
	SetImportID(ctx context.Context, source, kind, id string, localID int64, hash string) error
	ImportVersion(ctx context.Context, source, kind, id string) (int, error)
	SetImportVersion(ctx context.Context, source, kind, id string, localID int64, hash string, version int) error
	SectionByID(ctx context.Context, id int64) (section.Section, error)
	SectionByPath(ctx context.Context, path string) (section.Section, error)
	CreateSection(ctx context.Context, s *section.Section) error
	UpdateSection(ctx context.Context, s section.Section) error
	Article(ctx context.Context, id int64) (article.Article, error)
	CreateArticle(ctx context.Context, a *article.Article) error
	UpdateArticle(ctx context.Context, a *article.Article, expectedVersion int) error
	ComputeRelated(ctx context.Context, a article.Article, limit int) error
	PageByID(ctx context.Context, id int64) (page.Page, error)
	PageBySlug(ctx context.Context, slug string) (page.Page, error)
	CreatePage(ctx context.Context, p *page.Page) error
	UpdatePage(ctx context.Context, p page.Page) error
	ImportReader(ctx context.Context, provider, subject, name string, at time.Time) (int64, error)
	ImportComment(ctx context.Context, c *comment.Comment) error
	SaveRedirect(ctx context.Context, r redirect.Redirect) error
	Image(ctx context.Context, id int64) (media.Image, error)
	AddAuditEntry(ctx context.Context, e *audit.Entry) error
	AuditEntries(ctx context.Context, q audit.Query) ([]audit.Entry, error)
}

// ImageSaver stores an image file as an upload is stored (resized
// copies and all); media.Library implements it.
type ImageSaver interface {
	SaveDetailed(ctx context.Context, staffID int64, r io.Reader, d media.Details, record func(ctx context.Context, im media.Image) error) (media.Image, error)
}

// Options change how Run imports.
type Options struct {
	// DryRun checks the file and reports what an import would do, and
	// writes nothing.
	DryRun bool
	// MediaDir is the folder of the old site's uploads (WordPress's
	// wp-content/uploads); "" for none. A lead image found there is
	// stored in the media library, resized like an upload.
	MediaDir string
	// Images is the media library lead images are stored through; nil
	// keeps every lead image's original address.
	Images ImageSaver
	// Progress, when set, learns how many records have been written.
	Progress func(done int)
	// Phase, when set, learns when the import moves on: PhaseChecking,
	// PhaseWriting, then PhaseRebuilding.
	Phase func(phase string)
	// Now is the import's clock; nil is time.Now.
	Now func() time.Time
	// Cache is told once, after the import, that every page changed.
	Cache cache.Invalidator
	// Actor is who the audit entry names; the zero value is the command
	// line.
	Actor account.Staff
}

// The phases of a run, as Options.Phase hears of them.
const (
	PhaseChecking   = "checking"   // the first pass: every record read and checked
	PhaseWriting    = "writing"    // the second pass, in one transaction (or a dry run's counting)
	PhaseRebuilding = "rebuilding" // related articles chosen, cached pages dropped
)

// Counts are what became of one kind of record.
type Counts struct {
	Added, Updated, Unchanged int
}

// Report is what an import did, or with DryRun would do.
type Report struct {
	Source          string
	DryRun          bool
	Records         int
	Articles        Counts
	ArticlesKept    int // changed in the file, but edited in the paper since the import: left as the paper has them
	Pages           Counts
	PagesSkipped    int // pages that were not published, which a static page cannot be
	Sections        Counts
	Tags            int
	Authors         int
	Comments        Counts
	CommentsSkipped int // empty once their markup is removed
	Redirects       int
	RedirectsBad    int // old addresses that could not be a redirect's (another host, a malformed path)
	ImagesStored    int
	ImagesMissing   []string // lead images not found in MediaDir: their original URL is kept
	Related         int
	Warnings        []string // what went wrong after the import was committed
	Took            time.Duration
}

// Write prints the report for an operator.
func (r Report) Write(w io.Writer) {
	verb := "imported"
	if r.DryRun {
		verb = "dry run (nothing written): would import"
	}
	c := func(x Counts) string {
		return fmt.Sprintf("%d added, %d updated, %d unchanged", x.Added, x.Updated, x.Unchanged)
	}
	fmt.Fprintf(w, "%s %d records from %s in %s\n", verb, r.Records, r.Source, r.Took.Round(time.Millisecond))
	fmt.Fprintf(w, "  articles:  %s, %d kept: edited in the paper since the import\n", c(r.Articles), r.ArticlesKept)
	fmt.Fprintf(w, "  pages:     %s, %d not published (skipped)\n", c(r.Pages), r.PagesSkipped)
	fmt.Fprintf(w, "  sections:  %s\n", c(r.Sections))
	fmt.Fprintf(w, "  tags:      %d\n", r.Tags)
	fmt.Fprintf(w, "  authors:   %d\n", r.Authors)
	fmt.Fprintf(w, "  comments:  %s, %d empty (skipped)\n", c(r.Comments), r.CommentsSkipped)
	fmt.Fprintf(w, "  redirects: %d, %d old addresses unusable\n", r.Redirects, r.RedirectsBad)
	fmt.Fprintf(w, "  images:    %d stored, %d missing\n", r.ImagesStored, len(r.ImagesMissing))
	for i, u := range r.ImagesMissing {
		if i == 20 {
			fmt.Fprintf(w, "    … and %d more\n", len(r.ImagesMissing)-20)
			break
		}
		fmt.Fprintf(w, "    missing: %s\n", u)
	}
	for _, s := range r.Warnings {
		fmt.Fprintf(w, "  warning:   %s\n", s)
	}
}

// The kinds of record import_ids keeps.
const (
	kindSection = "section"
	kindArticle = "article"
	kindPage    = "page"
	kindComment = "comment"
	kindImage   = "image"
)

// hashVersion changes when what a record becomes changes, so that the
// next run rewrites every record.
const hashVersion = "2"

// RelatedNewest is how many of the newest published articles an import
// chooses related articles for.
const RelatedNewest = 2000

// adoptedSection is the local version recorded for a section the paper
// already had at the path an import would have made: no run changes it.
const adoptedSection = -1

// fallbackSection is where articles a source filed nowhere go.
const fallbackSection = "archive"

// importer is one run's state: the small records (authors, sections,
// tags) are held, posts stream past.
type importer struct {
	db      Store
	src     Source
	opts    Options
	now     time.Time
	authors map[string]*Author
	tags    map[string]*Tag
	secs    map[string]*Section
	secPath map[string]string // section source id → the path it has or will have
	secID   map[string]int64  // section source id → local id (pass 2)
	report  Report
	related []article.Article // published articles written, to choose related articles for
	// seen are the posts' and comments' source ids met in the check
	// pass: a second record with one would overwrite the first.
	seen map[string]bool
}

// Run imports src: a first pass reads and checks every record, and a file
// with a malformed record is refused (an *Error naming the record) with
// nothing written; a second pass writes everything in one transaction.
// Records already imported from the same source (by their ids) are
// updated when they changed and left alone when they did not.
func Run(ctx context.Context, db Store, src Source, opts Options) (Report, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Cache == nil {
		opts.Cache = cache.Nop{}
	}
	if opts.Actor.Name == "" {
		opts.Actor = account.Staff{Name: "import", Role: account.Admin}
	}
	start := time.Now()
	im := &importer{db: db, src: src, opts: opts, now: opts.Now().UTC().Truncate(time.Millisecond),
		authors: map[string]*Author{}, tags: map[string]*Tag{}, secs: map[string]*Section{},
		secPath: map[string]string{}, secID: map[string]int64{}, seen: map[string]bool{}}
	im.report.Source, im.report.DryRun = src.Name(), opts.DryRun
	phase := func(p string) {
		if opts.Phase != nil {
			opts.Phase(p)
		}
	}
	phase(PhaseChecking)
	if err := im.check(ctx); err != nil {
		return Report{}, err
	}
	phase(PhaseWriting)
	if opts.DryRun {
		if err := im.dryRun(ctx); err != nil {
			return Report{}, err
		}
		im.report.Took = time.Since(start)
		return im.report, nil
	}
	err := db.InTx(ctx, func(ctx context.Context) error {
		if err := im.write(ctx); err != nil {
			return err
		}
		r := im.report
		return audit.New(db, nil, opts.Now).Write(ctx, opts.Actor, "import."+src.Name(), "import", 0,
			fmt.Sprintf("imported %d articles and %d pages from %s", r.Articles.Added+r.Articles.Updated, r.Pages.Added+r.Pages.Updated, src.Name()),
			nil, r)
	})
	if err != nil {
		return Report{}, err
	}
	// Derived data the saves do not keep: the related articles of the
	// newest published articles, chosen once all are in. Choosing costs
	// a few look-ups in the search index each (about 50 ms in an archive
	// of 100,000), so older articles get theirs when they are next saved.
	sort.Slice(im.related, func(i, j int) bool { return im.related[i].PublishedAt.After(im.related[j].PublishedAt) })
	if len(im.related) > RelatedNewest {
		im.related = im.related[:RelatedNewest]
	}
	phase(PhaseRebuilding)
	// The import is committed: its pages are dropped first, and what
	// follows is a courtesy whose failure is a warning in the report, not
	// an error that would hide what was imported.
	opts.Cache.Invalidate(cache.KeyAll)
	for _, a := range im.related {
		if err := db.ComputeRelated(ctx, a, article.RelatedCount); err != nil {
			im.report.Warnings = append(im.report.Warnings, fmt.Sprintf(
				"related articles were chosen for %d of %d articles (then: %v); the rest get theirs when next saved", im.report.Related, len(im.related), err))
			break
		}
		im.report.Related++
	}
	im.related = nil
	im.report.Took = time.Since(start)
	return im.report, nil
}

// check is the first pass: every record is read and turned into what it
// would be stored as, and the first that cannot be is the error.
func (im *importer) check(ctx context.Context) error {
	n := 0
	err := im.src.Scan(ctx, func(rec Record) error {
		n++
		fail := func(id, format string, args ...any) error {
			return &Error{Record: n, ID: id, Reason: fmt.Sprintf(format, args...)}
		}
		switch r := rec.(type) {
		case *Author:
			if strings.TrimSpace(r.Name) == "" && strings.TrimSpace(r.Email) == "" {
				return fail(r.SourceID, "an author needs a name or an email")
			}
			if r.Email != "" {
				if _, err := account.NormalizeEmail(r.Email); err != nil {
					return fail(r.SourceID, "author's email: %v", err)
				}
			}
			im.authors[r.SourceID] = r
		case *Tag:
			if strings.TrimSpace(r.Name) == "" {
				return fail(r.SourceID, "a tag needs a name")
			}
			im.tags[r.SourceID] = r
		case *Section:
			if strings.TrimSpace(r.Name) == "" {
				return fail(r.SourceID, "a category needs a name")
			}
			if _, dup := im.secs[r.SourceID]; dup {
				return fail(r.SourceID, "a second category with the same id")
			}
			parent := ""
			if r.ParentSourceID != "" {
				p, ok := im.secPath[r.ParentSourceID]
				if !ok {
					return fail(r.SourceID, "its parent category %q does not come before it in the file", r.ParentSourceID)
				}
				parent = p + "/"
			}
			path := parent + asciiSlug(r.Slug, r.Name, "section-"+idHash(r.SourceID))
			s := section.Section{Slug: path[strings.LastIndexByte(path, '/')+1:], Name: clip(r.Name, section.MaxName),
				Description: clip(oneLine(r.Description), 500)}
			if fields := s.Validate(); len(fields) > 0 {
				return fail(r.SourceID, "the category cannot be a section: %s", fieldList(fields))
			}
			im.secs[r.SourceID] = r
			im.secPath[r.SourceID] = path
		case *Post:
			if err := im.checkPost(ctx, r); err != nil {
				var ve article.ValidationError
				if errors.As(err, &ve) {
					return fail(r.SourceID, "%s", strings.TrimPrefix(ve.Error(), "invalid article: "))
				}
				if errors.Is(err, article.ErrBusy) {
					return err
				}
				return fail(r.SourceID, "%v", err)
			}
		default:
			return fail("", "a record of an unknown kind (%T)", rec)
		}
		return nil
	})
	im.report.Records = n
	var e *Error
	if errors.As(err, &e) && e.Record == 0 {
		e.Record = n
	}
	return err
}

// checkPost turns a post into what it would be stored as, storing
// nothing.
func (im *importer) checkPost(ctx context.Context, p *Post) error {
	if p.SourceID == "" {
		return errors.New("a post needs an id")
	}
	key := string(p.Kind) + " " + p.SourceID
	if im.seen[key] {
		return fmt.Errorf("a second %s with the id %s: each would overwrite the other", p.Kind, p.SourceID)
	}
	im.seen[key] = true
	for _, c := range p.Comments {
		key := "comment " + c.SourceID
		switch {
		case c.SourceID == "":
			return errors.New("a comment on it has no id")
		case im.seen[key]:
			return fmt.Errorf("a second comment with the id %s", c.SourceID)
		}
		im.seen[key] = true
	}
	if err := hashesOf(p); err != nil {
		return err
	}
	if strings.TrimSpace(p.Title) == "" && strings.TrimSpace(stripTags(p.HTML)) == "" {
		return errors.New("a post with neither a title nor any content")
	}
	switch p.Kind {
	case KindArticle:
		_, err := im.articleOf(p)
		return err
	case KindPage:
		_, err := im.pageOf(p)
		return err
	}
	return fmt.Errorf("a post of unknown kind %q", p.Kind)
}

// dryRun counts what the write pass would do, reading only.
func (im *importer) dryRun(ctx context.Context) error {
	return im.src.Scan(ctx, func(rec Record) error {
		switch r := rec.(type) {
		case *Author:
			im.report.Authors++
		case *Tag:
			im.report.Tags++
		case *Section:
			hash, err := hashOf(r)
			if err != nil {
				return err
			}
			return im.count(ctx, &im.report.Sections, kindSection, r.SourceID, hash)
		case *Post:
			if r.Kind == KindPage && r.Status != StatusPublished {
				im.report.PagesSkipped++
				return nil
			}
			c := &im.report.Articles
			kind := kindArticle
			if r.Kind == KindPage {
				c, kind = &im.report.Pages, kindPage
			}
			hash, err := hashOf(postHashed(r))
			if err != nil {
				return err
			}
			changed, err := im.changed(ctx, kind, r.SourceID, hash)
			if err != nil {
				return err
			}
			if changed && kind == kindArticle {
				kept, err := im.editedSince(ctx, r.SourceID)
				if err != nil {
					return err
				}
				if kept {
					im.report.ArticlesKept++
					return nil
				}
			}
			if err := im.count(ctx, c, kind, r.SourceID, hash); err != nil {
				return err
			}
			if !changed {
				return nil
			}
			im.report.Redirects += len(r.OldPaths)
			if r.LeadImage != nil && r.LeadImage.URL != "" {
				_, _, stored, err := im.db.ImportID(ctx, im.src.Name(), kindImage, r.LeadImage.URL)
				if err != nil {
					return err
				}
				switch {
				case stored: // kept as it is, as the write pass keeps it
				case im.imageFile(r.LeadImage) != "":
					im.report.ImagesStored++
				default:
					im.report.ImagesMissing = append(im.report.ImagesMissing, r.LeadImage.URL)
				}
			}
			for _, c := range r.Comments {
				if strings.TrimSpace(commentText(c.Body)) == "" {
					im.report.CommentsSkipped++
					continue
				}
				hash, err := hashOf(c)
				if err != nil {
					return err
				}
				if err := im.count(ctx, &im.report.Comments, kindComment, c.SourceID, hash); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// editedSince tells whether the article a post became was saved in the
// paper since the import last wrote it.
func (im *importer) editedSince(ctx context.Context, sourceID string) (bool, error) {
	id, _, found, err := im.db.ImportID(ctx, im.src.Name(), kindArticle, sourceID)
	if err != nil || !found {
		return false, err
	}
	a, err := im.db.Article(ctx, id)
	if errors.Is(err, article.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	v, err := im.db.ImportVersion(ctx, im.src.Name(), kindArticle, sourceID)
	return err == nil && v != a.Version, err
}

func (im *importer) changed(ctx context.Context, kind, id, hash string) (bool, error) {
	_, old, found, err := im.db.ImportID(ctx, im.src.Name(), kind, id)
	return !found || old != hash, err
}

func (im *importer) count(ctx context.Context, c *Counts, kind, id, hash string) error {
	_, old, found, err := im.db.ImportID(ctx, im.src.Name(), kind, id)
	switch {
	case err != nil:
		return err
	case !found:
		c.Added++
	case old != hash:
		c.Updated++
	default:
		c.Unchanged++
	}
	return nil
}

// write is the second pass, in the import's transaction.
func (im *importer) write(ctx context.Context) error {
	done := 0
	return im.src.Scan(ctx, func(rec Record) error {
		var err error
		switch r := rec.(type) {
		case *Author:
			im.report.Authors++
		case *Tag:
			im.report.Tags++
		case *Section:
			err = im.writeSection(ctx, r)
		case *Post:
			if r.Kind == KindPage {
				err = im.writePage(ctx, r)
			} else {
				err = im.writeArticle(ctx, r)
			}
		}
		if err != nil {
			return err
		}
		done++
		if im.opts.Progress != nil {
			im.opts.Progress(done)
		}
		return nil
	})
}

func (im *importer) writeSection(ctx context.Context, r *Section) error {
	src := im.src.Name()
	hash, err := hashOf(r)
	if err != nil {
		return err
	}
	s, old, found, err := imported(ctx, im, kindSection, r.SourceID, im.db.SectionByID, section.ErrNotFound)
	if err != nil {
		return err
	}
	if found {
		im.secID[r.SourceID] = s.ID
		if old == hash {
			im.report.Sections.Unchanged++
			return nil
		}
		v, err := im.db.ImportVersion(ctx, src, kindSection, r.SourceID)
		if err != nil {
			return err
		}
		if v == adoptedSection {
			// The paper's own section, which the file's category was
			// filed in: the paper's name and description stay.
			im.report.Sections.Unchanged++
			return nil
		}
		s.Name, s.Description = clip(r.Name, section.MaxName), clip(oneLine(r.Description), 500)
		if err := im.db.UpdateSection(ctx, s); err != nil {
			return err
		}
		im.report.Sections.Updated++
		return im.db.SetImportID(ctx, src, kindSection, r.SourceID, s.ID, hash)
	}
	path := im.secPath[r.SourceID]
	// A section the paper already has at that path is the same section,
	// adopted: no run changes it.
	version := 0
	s, err = im.db.SectionByPath(ctx, path)
	switch {
	case err == nil:
		im.report.Sections.Unchanged++
		version = adoptedSection
	case errors.Is(err, section.ErrNotFound):
		s = section.Section{Slug: path[strings.LastIndexByte(path, '/')+1:], Name: clip(r.Name, section.MaxName),
			Description: clip(oneLine(r.Description), 500)}
		if r.ParentSourceID != "" {
			s.ParentID = im.secID[r.ParentSourceID]
		}
		if fields := s.Validate(); len(fields) > 0 {
			return fmt.Errorf("import: category %s: %v", r.SourceID, fields)
		}
		if err := im.db.CreateSection(ctx, &s); err != nil {
			return err
		}
		im.report.Sections.Added++
	default:
		return err
	}
	im.secID[r.SourceID] = s.ID
	return im.db.SetImportVersion(ctx, src, kindSection, r.SourceID, s.ID, hash, version)
}

// sectionPathOf is the path of the section a post is filed in.
func (im *importer) sectionPathOf(p *Post) (string, error) {
	if p.SectionSourceID == "" {
		return fallbackSection, nil
	}
	path, ok := im.secPath[p.SectionSourceID]
	if !ok {
		return "", fmt.Errorf("it is filed in category %q, which the file does not list before it", p.SectionSourceID)
	}
	return path, nil
}

// articleOf builds the article a post becomes, through the same
// validation and rendering as every save; its section, bylines and tags
// are named, not yet resolved to ids.
func (im *importer) articleOf(p *Post) (article.Article, error) {
	body, err := ToMarkdown(p.HTML)
	if err != nil {
		return article.Article{}, fmt.Errorf("its content cannot be read as HTML: %v", err)
	}
	headline := oneLine(p.Title)
	if headline == "" {
		headline = firstWords(stripTags(p.HTML), 12)
	}
	if body == "" {
		body = "*" + strings.NewReplacer("*", "", "_", "").Replace(headline) + "*"
	}
	secPath, err := im.sectionPathOf(p)
	if err != nil {
		return article.Article{}, err
	}
	in := article.Input{
		Headline: clip(headline, article.MaxHeadline),
		Deck:     clip(oneLine(stripTags(p.Excerpt)), article.MaxDeck),
		Body:     body,
		Section:  secPath,
		Status:   statusOf(p.Status),
	}
	if !p.PublishedAt.IsZero() {
		in.PublishedAt = p.PublishedAt.UTC().Truncate(time.Millisecond)
	}
	seen := map[string]bool{}
	for _, id := range p.AuthorSourceIDs {
		a, ok := im.authors[id]
		if !ok {
			return article.Article{}, fmt.Errorf("its author %q is not among the file's authors", id)
		}
		b := bylineOf(im.src.Name(), a)
		if !seen[b.Email] && len(in.Authors) < article.MaxAuthors {
			seen[b.Email] = true
			in.Authors = append(in.Authors, b)
		}
	}
	if len(in.Authors) == 0 {
		in.Authors = []article.Byline{{Name: "Archive", Email: "archive@" + im.src.Name() + ".import.invalid"}}
	}
	for _, id := range p.TagSourceIDs {
		t, ok := im.tags[id]
		if !ok {
			return article.Article{}, fmt.Errorf("its tag %q is not among the file's tags", id)
		}
		if len(in.Tags) < article.MaxTags {
			in.Tags = append(in.Tags, clip(oneLine(t.Name), article.MaxTagLen))
		}
	}
	if li := p.LeadImage; li != nil && li.URL != "" {
		in.LeadImage = article.Image{URL: li.URL, Caption: clip(li.Caption, article.MaxCaption),
			Credit: clip(oneLine(li.Credit), article.MaxNameLen), Alt: clip(oneLine(li.Alt), article.MaxCaption)}
		if in.LeadImage.Alt == "" {
			// Publishing needs a description; the caption, or the
			// headline, is the best the old site gives.
			in.LeadImage.Alt = clip(firstNonEmpty(oneLine(li.Caption), in.Headline), article.MaxCaption)
		}
	}
	if s := article.Slugify(decodeSlug(p.Slug)); p.Slug != "" && s != "article" {
		in.Slug = s
	}
	if err := in.Normalize(); err != nil {
		return article.Article{}, err
	}
	html, err := article.RenderMarkdown(in.Body)
	if err != nil {
		return article.Article{}, err
	}
	a := article.Article{Headline: in.Headline, Deck: in.Deck, Body: in.Body, BodyHTML: html, Status: in.Status,
		PublishedAt: in.PublishedAt, LeadImage: in.LeadImage, Slug: in.Slug}
	if a.Slug == "" {
		a.Slug = article.Slugify(in.Headline)
	}
	if (a.Status == article.Published || a.Status == article.Scheduled) && a.PublishedAt.IsZero() {
		a.PublishedAt = im.now
	}
	a.CreatedAt = firstTime(p.PublishedAt, im.now).UTC().Truncate(time.Millisecond)
	a.UpdatedAt = firstTime(p.UpdatedAt, a.CreatedAt).UTC().Truncate(time.Millisecond)
	for _, b := range in.Authors {
		a.Authors = append(a.Authors, authorOf(b))
	}
	for _, t := range in.Tags {
		a.Tags = append(a.Tags, article.Tag{Name: t, Slug: article.Slugify(t)})
	}
	return a, nil
}

func (im *importer) writeArticle(ctx context.Context, p *Post) error {
	src := im.src.Name()
	hash, err := hashOf(postHashed(p))
	if err != nil {
		return err
	}
	prev, old, found, err := imported(ctx, im, kindArticle, p.SourceID, im.db.Article, article.ErrNotFound)
	if err != nil {
		return err
	}
	if found && old == hash {
		im.report.Articles.Unchanged++
		return im.writeComments(ctx, p, prev.ID)
	}
	if found {
		v, err := im.db.ImportVersion(ctx, src, kindArticle, p.SourceID)
		if err != nil {
			return err
		}
		if v != prev.Version {
			// Saved in the paper since the import: the newsroom's
			// article stays as it is; new comments still come in.
			im.report.ArticlesKept++
			return im.writeComments(ctx, p, prev.ID)
		}
	}
	a, err := im.articleOf(p)
	if err != nil {
		return fmt.Errorf("import: post %s: %w", p.SourceID, err)
	}
	sec, err := im.sectionFor(ctx, p)
	if err != nil {
		return err
	}
	a.SectionID = sec
	if err := im.storeLeadImage(ctx, p.LeadImage, &a.LeadImage); err != nil {
		return err
	}
	if found {
		a.ID, a.CreatedAt = prev.ID, prev.CreatedAt
		if a.UpdatedAt.Before(prev.UpdatedAt) {
			a.UpdatedAt = prev.UpdatedAt // never backwards
		}
		if err := im.db.UpdateArticle(ctx, &a, prev.Version); err != nil {
			return fmt.Errorf("import: post %s: %w", p.SourceID, err)
		}
		im.report.Articles.Updated++
	} else {
		if err := im.db.CreateArticle(ctx, &a); err != nil {
			return fmt.Errorf("import: post %s: %w", p.SourceID, err)
		}
		im.report.Articles.Added++
	}
	if err := im.db.SetImportVersion(ctx, src, kindArticle, p.SourceID, a.ID, hash, a.Version); err != nil {
		return err
	}
	if a.Status == article.Published {
		im.related = append(im.related, article.Article{ID: a.ID, Headline: a.Headline, Deck: a.Deck, Tags: a.Tags, PublishedAt: a.PublishedAt})
	}
	if err := im.writeRedirects(ctx, p.OldPaths, a.URL()); err != nil {
		return err
	}
	return im.writeComments(ctx, p, a.ID)
}

// sectionFor is the local id of the section a post is filed in, made
// when it is the fallback section and the paper has none.
func (im *importer) sectionFor(ctx context.Context, p *Post) (int64, error) {
	if p.SectionSourceID != "" {
		return im.secID[p.SectionSourceID], nil
	}
	if id, ok := im.secID[""]; ok {
		return id, nil
	}
	s, err := im.db.SectionByPath(ctx, fallbackSection)
	if errors.Is(err, section.ErrNotFound) {
		s = section.Section{Slug: fallbackSection, Name: "Archive", Description: "Articles brought in from the old site without a category."}
		err = im.db.CreateSection(ctx, &s)
	}
	if err != nil {
		return 0, err
	}
	im.secID[""] = s.ID
	return s.ID, nil
}

// imageFile is the path of a lead image's file in MediaDir, "" when
// there is none.
func (im *importer) imageFile(li *Image) string {
	if li == nil || li.File == "" || im.opts.MediaDir == "" {
		return ""
	}
	name := filepath.Clean(filepath.FromSlash(li.File))
	if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
		return ""
	}
	full := filepath.Join(im.opts.MediaDir, name)
	if st, err := os.Stat(full); err != nil || !st.Mode().IsRegular() {
		return ""
	}
	return full
}

// storeLeadImage stores a lead image found in MediaDir in the media
// library (once per original address, however many runs) and points img
// at the upload; one not found keeps its original address and is
// reported.
func (im *importer) storeLeadImage(ctx context.Context, li *Image, img *article.Image) error {
	if li == nil || li.URL == "" {
		return nil
	}
	src := im.src.Name()
	// One stored by an earlier run is kept, with or without the folder
	// this time.
	m, _, found, err := imported(ctx, im, kindImage, li.URL, im.db.Image, media.ErrNotFound)
	if err != nil {
		return err
	}
	file := im.imageFile(li)
	if !found && (file == "" || im.opts.Images == nil) {
		im.report.ImagesMissing = append(im.report.ImagesMissing, li.URL)
		return nil
	}
	if !found {
		f, err := os.Open(file)
		if err != nil {
			return fmt.Errorf("import: lead image %s: %w", file, err)
		}
		m, err = im.opts.Images.SaveDetailed(ctx, im.opts.Actor.ID, f, media.Details{Alt: img.Alt, Caption: img.Caption, Credit: img.Credit}, nil)
		_ = f.Close() // read only
		if media.IsUploadError(err) {
			// Not an image the library takes: the original address stays.
			im.report.ImagesMissing = append(im.report.ImagesMissing, li.URL+" ("+err.Error()+")")
			return nil
		}
		if err != nil {
			return fmt.Errorf("import: lead image %s: %w", file, err)
		}
		if err := im.db.SetImportID(ctx, src, kindImage, li.URL, m.ID, ""); err != nil {
			return err
		}
		im.report.ImagesStored++
	}
	img.URL, img.Srcset, img.Width, img.Height = m.URL(), m.Srcset(), m.Width, m.Height
	return nil
}

func (im *importer) writeRedirects(ctx context.Context, old []string, to string) error {
	for _, from := range old {
		r := redirect.Redirect{From: from, To: to, Source: im.src.Name(), CreatedAt: im.now}
		if err := r.Normalize(); err != nil {
			if sameAddress(from, to) {
				continue // the post kept its address: nothing to redirect
			}
			im.report.RedirectsBad++
			continue
		}
		if err := im.db.SaveRedirect(ctx, r); err != nil {
			return err
		}
		im.report.Redirects++
	}
	return nil
}

// sameAddress tells whether an old address is the new one.
func sameAddress(from, to string) bool {
	f, err := redirect.NormalizeFrom(from)
	if err != nil {
		return false
	}
	t, err := redirect.NormalizeTo(to)
	return err == nil && f == t
}

// pageOf builds the static page a post of kind page becomes.
func (im *importer) pageOf(p *Post) (page.Page, error) {
	body, err := ToMarkdown(p.HTML)
	if err != nil {
		return page.Page{}, fmt.Errorf("its content cannot be read as HTML: %v", err)
	}
	title := clip(oneLine(p.Title), 200)
	if title == "" {
		title = clip(firstWords(stripTags(p.HTML), 12), 200)
	}
	if body == "" {
		body = title
	}
	pg := page.Page{Slug: pageSlug(p.Slug, p.Title, p.SourceID), Title: title, Body: body,
		UpdatedAt: firstTime(p.UpdatedAt, p.PublishedAt, im.now).UTC().Truncate(time.Millisecond)}
	if fields := pg.Normalize(); len(fields) > 0 {
		return page.Page{}, article.ValidationError(fields)
	}
	if pg.BodyHTML, err = article.RenderMarkdown(pg.Body); err != nil {
		return page.Page{}, err
	}
	return pg, nil
}

func (im *importer) writePage(ctx context.Context, p *Post) error {
	if p.Status != StatusPublished {
		// A static page is always public: a draft or private page of the
		// old site is left out rather than published.
		im.report.PagesSkipped++
		return nil
	}
	src := im.src.Name()
	hash, err := hashOf(postHashed(p))
	if err != nil {
		return err
	}
	prev, old, found, err := imported(ctx, im, kindPage, p.SourceID, im.db.PageByID, page.ErrNotFound)
	if err != nil {
		return err
	}
	if found && old == hash {
		im.report.Pages.Unchanged++
		return nil
	}
	pg, err := im.pageOf(p)
	if err != nil {
		return fmt.Errorf("import: page %s: %w", p.SourceID, err)
	}
	if found {
		pg.ID = prev.ID
		if pg.Slug != prev.Slug {
			if pg.Slug, err = im.freePageSlug(ctx, pg.Slug, prev.ID); err != nil {
				return err
			}
		}
		if err := im.db.UpdatePage(ctx, pg); err != nil {
			return err
		}
		im.report.Pages.Updated++
	} else {
		if pg.Slug, err = im.freePageSlug(ctx, pg.Slug, 0); err != nil {
			return err
		}
		if err := im.db.CreatePage(ctx, &pg); err != nil {
			return err
		}
		im.report.Pages.Added++
	}
	if err := im.db.SetImportID(ctx, src, kindPage, p.SourceID, pg.ID, hash); err != nil {
		return err
	}
	return im.writeRedirects(ctx, p.OldPaths, "/page/"+pg.Slug)
}

// freePageSlug is slug, or slug-2, slug-3…, whichever no page but self
// has: the paper's own About page is not replaced by the old site's.
func (im *importer) freePageSlug(ctx context.Context, slug string, self int64) (string, error) {
	base := slug
	for i := 2; i < 1000; i++ {
		p, err := im.db.PageBySlug(ctx, slug)
		if errors.Is(err, page.ErrNotFound) || (err == nil && p.ID == self) {
			return slug, nil
		}
		if err != nil {
			return "", err
		}
		suffix := fmt.Sprintf("-%d", i)
		slug = strings.TrimRight(clipBytes(base, 60-len(suffix)), "-") + suffix
	}
	return "", fmt.Errorf("import: no free page address like %q", base)
}

// writeComments stores a post's comments whose hash changed: approved
// ones visible, the rest held for a moderator, every reply under the
// thread's first comment (the paper's replies go one level deep).
func (im *importer) writeComments(ctx context.Context, p *Post, articleID int64) error {
	if len(p.Comments) == 0 {
		return nil
	}
	src := im.src.Name()
	parentOf := map[string]string{}
	for _, c := range p.Comments {
		parentOf[c.SourceID] = c.ParentSourceID
	}
	root := func(id string) string {
		for i := 0; i < len(p.Comments) && parentOf[id] != ""; i++ {
			if _, ok := parentOf[parentOf[id]]; !ok {
				break // a parent not in the file: this one starts the thread
			}
			id = parentOf[id]
		}
		return id
	}
	local := map[string]int64{}
	// Threads' first comments, then the replies, so each reply's
	// parent is stored before it.
	for _, replies := range []bool{false, true} {
		for _, c := range p.Comments {
			r := root(c.SourceID)
			if (r != c.SourceID) != replies {
				continue
			}
			body := commentText(c.Body)
			if body == "" {
				im.report.CommentsSkipped++
				continue
			}
			hash, err := hashOf(c)
			if err != nil {
				return err
			}
			id, old, found, err := im.db.ImportID(ctx, src, kindComment, c.SourceID)
			if err != nil {
				return err
			}
			if found && old == hash {
				local[c.SourceID] = id
				im.report.Comments.Unchanged++
				continue
			}
			cm := comment.Comment{ID: id, ArticleID: articleID, Body: body, Status: comment.Held,
				CreatedAt: firstTime(c.CreatedAt, im.now).UTC().Truncate(time.Millisecond)}
			if c.Approved {
				cm.Status = comment.Visible
			}
			if replies {
				cm.ParentID = local[r]
			}
			if cm.ReaderID, err = im.db.ImportReader(ctx, "import:"+src, readerSubject(c), readerName(c), cm.CreatedAt); err != nil {
				return err
			}
			if err := im.db.ImportComment(ctx, &cm); err != nil {
				return err
			}
			if found {
				im.report.Comments.Updated++
			} else {
				im.report.Comments.Added++
			}
			local[c.SourceID] = cm.ID
			if err := im.db.SetImportID(ctx, src, kindComment, c.SourceID, cm.ID, hash); err != nil {
				return err
			}
		}
	}
	return nil
}

// statusOf maps a source's status to the paper's workflow; a private
// post becomes a draft, so that nothing the old site kept from the
// public becomes public.
func statusOf(s Status) article.Status {
	switch s {
	case StatusPublished:
		return article.Published
	case StatusScheduled:
		return article.Scheduled
	case StatusReview:
		return article.Review
	}
	return article.Draft
}

// postHashed is the part of a post its hash covers: its comments have
// hashes of their own, so a new comment does not rewrite the article;
// nor is where the lead image's file was found part of it, so that a run
// with another --media-dir, or none, is not a change.
func postHashed(p *Post) Post {
	c := *p
	c.Comments = nil
	if p.LeadImage != nil {
		li := *p.LeadImage
		li.File = ""
		c.LeadImage = &li
	}
	return c
}

// hashOf is the hash of a record as it was imported. A record that
// cannot be encoded (a time past the year 9999) is an error; the check
// pass finds it first (hashesOf).
func hashOf(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("it cannot be recorded: %v", err)
	}
	sum := sha256.Sum256(append([]byte(hashVersion), b...))
	return hex.EncodeToString(sum[:16]), nil
}

// idHash is a short hash of a source id, for a name the source left
// empty.
func idHash(id string) string {
	b, _ := json.Marshal(id) // a string always encodes
	sum := sha256.Sum256(append([]byte(hashVersion), b...))
	return hex.EncodeToString(sum[:4])
}

// hashesOf checks that a post and its comments can be hashed.
func hashesOf(p *Post) error {
	if _, err := hashOf(postHashed(p)); err != nil {
		return err
	}
	for _, c := range p.Comments {
		if _, err := hashOf(c); err != nil {
			return fmt.Errorf("its comment %s: %v", c.SourceID, err)
		}
	}
	return nil
}

// fieldList is a validation's field messages as one line, in the
// fields' order.
func fieldList(fields map[string]string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k + " " + fields[k])
	}
	return b.String()
}

// imported is the local record an earlier run made of the source's record
// kind/id, loaded by load, and the hash it had then. found is false when
// no run made one, or it was deleted here since (load answers notFound):
// the record is made again.
func imported[T any](ctx context.Context, im *importer, kind, id string, load func(context.Context, int64) (T, error), notFound error) (local T, hash string, found bool, err error) {
	localID, hash, found, err := im.db.ImportID(ctx, im.src.Name(), kind, id)
	if err != nil || !found {
		return local, hash, false, err
	}
	local, err = load(ctx, localID)
	if errors.Is(err, notFound) {
		return local, hash, false, nil
	}
	return local, hash, err == nil, err
}
