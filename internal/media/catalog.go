package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/page"
)

// CatalogStore is what the media library's pages need of the store;
// store.DB implements it.
type CatalogStore interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Image(ctx context.Context, id int64) (Image, error)
	SearchImages(ctx context.Context, q ListQuery) ([]Image, error)
	SetImageDetails(ctx context.Context, id int64, d Details) error
	// LockImage loads an image to delete and keeps article saves that
	// resolve it from committing in between (see store.DB.LockImage).
	LockImage(ctx context.Context, id int64) (Image, error)
	DeleteImage(ctx context.Context, id int64) error
	ImageUses(ctx context.Context, key string, limit int) ([]Use, error)
	// ImageUseCounts counts the uses of each key's image.
	ImageUseCounts(ctx context.Context, keys []string) (map[string]int, error)
}

// Auditor writes an audit entry in the transaction of ctx; *audit.Log
// implements it.
type Auditor interface {
	Write(ctx context.Context, actor account.Staff, action, targetType string, targetID int64, summary string, before, after any) error
}

// Catalog is the media library as staff use it: upload with details,
// list and search, edit details, delete unused images. Every door to the
// library (the newsroom's pages, the editor's scripts) goes through it, so
// the rules below hold for all of them.
type Catalog struct {
	lib   *Library
	store CatalogStore
	audit Auditor
}

// NewCatalog serves the library kept by lib and st; audit records every
// upload, edit and delete.
func NewCatalog(lib *Library, st CatalogStore, audit Auditor) *Catalog {
	return &Catalog{lib: lib, store: st, audit: audit}
}

// Limits of the library's fields and queries. The alt text, caption and
// credit are those of an article's lead image, so any image of the
// library can become one.
const (
	MaxAlt     = article.MaxCaption
	MaxCaption = article.MaxCaption
	MaxCredit  = article.MaxNameLen
	MaxSearch  = 100 // characters of a search
	PageSize   = 24  // images on a page of the library
	MaxPage    = 1000
	// MaxUsesShown bounds the articles and pages listed as using an image.
	MaxUsesShown = 50
	// maxUsesRead bounds the uses read to sort into those a viewer may
	// open and the others, which are only counted.
	maxUsesRead = 10_000
)

// ErrForbidden is a change the staff member's role does not allow.
var ErrForbidden = errors.New("media: not allowed")

// MayUpload reports whether s may add images: every writer may.
func MayUpload(s account.Staff) bool { return s.Role.CanWrite() }

// MayChange reports whether s may edit the details of im or delete it:
// editors and admins any image, a reporter only those they uploaded.
func MayChange(s account.Staff, im Image) bool {
	switch {
	case s.Role.CanManage():
		return true
	case s.Role.CanWrite():
		return s.ID != 0 && im.CreatedBy == s.ID
	}
	return false
}

// FieldError is a refused field: Field is "alt", "caption", "credit",
// "q" or "page"; Problem is ProblemMissing, ProblemTooLong or
// ProblemNotText; Max is the limit a ProblemTooLong broke.
type FieldError struct {
	Field   string
	Problem string
	Max     int
}

// The problems of a FieldError.
const (
	ProblemMissing = "missing"
	ProblemTooLong = "too_long"
	ProblemNotText = "not_text" // invalid UTF-8, a NUL, or a line break in a one-line field
	ProblemBad     = "bad"      // not a page number
)

func (e *FieldError) Error() string {
	return fmt.Sprintf("media: %s: %s (max %d)", e.Field, e.Problem, e.Max)
}

// CheckDetails trims d and checks it against the library's limits;
// needAlt refuses an empty alt text.
func CheckDetails(d Details, needAlt bool) (Details, error) {
	d.Alt, d.Caption, d.Credit = strings.TrimSpace(d.Alt), strings.TrimSpace(d.Caption), strings.TrimSpace(d.Credit)
	if needAlt && d.Alt == "" {
		return d, &FieldError{Field: "alt", Problem: ProblemMissing}
	}
	for _, f := range []struct {
		name, s string
		max     int
	}{{"alt", d.Alt, MaxAlt}, {"caption", d.Caption, MaxCaption}, {"credit", d.Credit, MaxCredit}} {
		switch {
		case !utf8.ValidString(f.s) || strings.ContainsAny(f.s, "\x00\r\n"):
			return d, &FieldError{Field: f.name, Problem: ProblemNotText}
		case utf8.RuneCountInString(f.s) > f.max:
			return d, &FieldError{Field: f.name, Problem: ProblemTooLong, Max: f.max}
		}
	}
	return d, nil
}

// Upload checks d, then saves the upload in r with it and an audit entry
// (see Library.SaveDetailed). needAlt refuses an upload without alt text:
// forms ask for it with the file, while the editor asks for it right after
// the upload and sets it with Edit.
func (c *Catalog) Upload(ctx context.Context, actor account.Staff, r io.Reader, d Details, needAlt bool) (Image, error) {
	if !MayUpload(actor) {
		return Image{}, ErrForbidden
	}
	d, err := CheckDetails(d, needAlt)
	if err != nil {
		return Image{}, err
	}
	return c.lib.SaveDetailed(ctx, actor.ID, r, d, func(ctx context.Context, im Image) error {
		return c.audit.Write(ctx, actor, "image.upload", "image", im.ID, im.URL(), nil,
			map[string]any{"key": im.Key, "width": im.Width, "height": im.Height, "bytes": im.Bytes,
				"alt": im.Alt, "caption": im.Caption, "credit": im.Credit})
	})
}

// Listed is an image of a page of the library with the number of articles
// and static pages that use it.
type Listed struct {
	Image
	Uses int
}

// Page is one page of the library.
type Page struct {
	Images []Listed
	Next   int // the next page's number; 0 on the last
}

// List gives page (from 1) of the images whose details contain text,
// newest first.
func (c *Catalog) List(ctx context.Context, text string, page int) (Page, error) {
	text = strings.TrimSpace(text)
	switch {
	case !utf8.ValidString(text) || strings.ContainsRune(text, 0):
		return Page{}, &FieldError{Field: "q", Problem: ProblemNotText}
	case utf8.RuneCountInString(text) > MaxSearch:
		return Page{}, &FieldError{Field: "q", Problem: ProblemTooLong, Max: MaxSearch}
	case page < 1 || page > MaxPage:
		return Page{}, &FieldError{Field: "page", Problem: ProblemBad, Max: MaxPage}
	}
	// One more than a page tells whether there is a next one.
	ims, err := c.store.SearchImages(ctx, ListQuery{Text: text, Limit: PageSize + 1, Offset: (page - 1) * PageSize})
	if err != nil {
		return Page{}, err
	}
	var p Page
	if len(ims) > PageSize {
		ims, p.Next = ims[:PageSize], page+1
	}
	keys := make([]string, len(ims))
	for i, im := range ims {
		keys[i] = im.Key
	}
	uses, err := c.store.ImageUseCounts(ctx, keys)
	if err != nil {
		return Page{}, err
	}
	for _, im := range ims {
		p.Images = append(p.Images, Listed{Image: im, Uses: uses[im.Key]})
	}
	return p, nil
}

// Uses is what a staff member is told of the articles and pages that use
// an image.
type Uses struct {
	Shown  []Use // those they may open, at most MaxUsesShown
	Hidden int   // the others, counted: their titles are not theirs to see
}

// Total is the number of uses found.
func (u Uses) Total() int { return len(u.Shown) + u.Hidden }

// MayOpen reports whether viewer may open the article or page of u: an
// article by the article policy's read rule, a page by the pages' rule.
func MayOpen(viewer account.Staff, u Use) bool {
	if u.Kind == UsePage {
		return page.MayManage(viewer)
	}
	return article.Allows(viewer, article.ActRead,
		article.Article{ID: u.ID, Status: article.Status(u.Status), CreatedBy: u.CreatedBy})
}

// usesFor reads the uses of im and sorts them for viewer.
func (c *Catalog) usesFor(ctx context.Context, viewer account.Staff, im Image) (Uses, error) {
	all, err := c.store.ImageUses(ctx, im.Key, maxUsesRead)
	if err != nil {
		return Uses{}, err
	}
	var out Uses
	for _, u := range all {
		switch {
		case !MayOpen(viewer, u):
			out.Hidden++
		case len(out.Shown) < MaxUsesShown:
			out.Shown = append(out.Shown, u)
		}
	}
	return out, nil
}

// Get gives an image with the articles and pages that use it, as viewer
// may see them.
func (c *Catalog) Get(ctx context.Context, viewer account.Staff, id int64) (Image, Uses, error) {
	im, err := c.store.Image(ctx, id)
	if err != nil {
		return Image{}, Uses{}, err
	}
	uses, err := c.usesFor(ctx, viewer, im)
	if err != nil {
		return Image{}, Uses{}, err
	}
	return im, uses, nil
}

// Edit changes an image's details, with an audit entry of before and after.
func (c *Catalog) Edit(ctx context.Context, actor account.Staff, id int64, d Details) (Image, error) {
	d, err := CheckDetails(d, true)
	if err != nil {
		return Image{}, err
	}
	var im Image
	err = c.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if im, err = c.store.Image(ctx, id); err != nil {
			return err
		}
		if !MayChange(actor, im) {
			return ErrForbidden
		}
		before := im.Details
		if err := c.store.SetImageDetails(ctx, id, d); err != nil {
			return err
		}
		im.Details = d
		return c.audit.Write(ctx, actor, "image.edit", "image", im.ID, im.URL(), before, d)
	})
	if err != nil {
		return Image{}, err
	}
	return im, nil
}

// InUseError refuses to delete an image that articles or pages show,
// whether or not the one deleting may see them.
type InUseError struct {
	Uses Uses // as the one deleting may see them
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("media: image used by %d articles or pages", e.Uses.Total())
}

// Delete deletes an image no article or page uses: its row, with an
// audit entry, then its files.
//
// The check of its uses and the delete are one transaction, and the row
// is locked first (LockImage), so a save committed before the delete is
// seen by the check and refuses the delete. A save is safe the other way
// round only if it resolves its images inside its own transaction: then
// on PostgreSQL its key-share lock (ImageByKey) and the delete's row lock
// order the two, and on SQLite writing transactions run one at a time, so
// the save either commits first (and the delete is refused) or finds no
// image. A save that resolves an image before its transaction begins and
// writes after the delete commits can still keep the image's address;
// the article service must resolve in its transaction to close that.
//
// The files go only after the row is gone for good: a crash in between
// leaves unused files, never a recorded image without its files. Files
// the storage will not delete now are queued and tried again, as those of
// failed uploads are (see RunCleanup).
func (c *Catalog) Delete(ctx context.Context, actor account.Staff, id int64) error {
	var im Image
	err := c.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if im, err = c.store.LockImage(ctx, id); err != nil {
			return err
		}
		if !MayChange(actor, im) {
			return ErrForbidden
		}
		uses, err := c.usesFor(ctx, actor, im)
		if err != nil {
			return err
		}
		if uses.Total() > 0 {
			return &InUseError{Uses: uses}
		}
		if err := c.store.DeleteImage(ctx, id); err != nil {
			return err
		}
		return c.audit.Write(ctx, actor, "image.delete", "image", im.ID, im.URL(),
			map[string]any{"key": im.Key, "alt": im.Alt, "caption": im.Caption, "credit": im.Credit}, nil)
	})
	if err != nil {
		return err
	}
	keys := make([]string, len(im.Widths))
	for i, w := range im.Widths {
		keys[i] = im.VariantKey(w)
	}
	c.lib.removeAll(context.WithoutCancel(ctx), keys)
	return nil
}
