// Package article holds the newspaper's central type, the rules an article
// must satisfy, and the service that creates, edits and publishes articles.
package article

import (
	"errors"
	"strconv"
	"time"

	"broadsheet/internal/author"
)

// Status is where an article stands in the publishing workflow.
type Status string

// The statuses an article can have.
const (
	Draft     Status = "draft"
	Review    Status = "review"    // submitted by its reporter, waiting for an editor
	Scheduled Status = "scheduled" // published by the scheduler at PublishedAt
	Published Status = "published"
)

// Valid reports a known status.
func (s Status) Valid() bool {
	return s == Draft || s == Review || s == Scheduled || s == Published
}

// Image is a picture with the text a reader and a screen reader need.
type Image struct {
	URL     string
	Caption string
	Credit  string
	Alt     string
	// Srcset lists the image's resized copies for browsers to choose
	// from; Width and Height are the original's, so the page keeps the
	// image's space before it loads. All three are empty for an image
	// given by URL rather than uploaded.
	Srcset string
	Width  int
	Height int
}

// Article is one story. Body is the Markdown the newsroom wrote; BodyHTML
// is rendered and sanitized once, when the article is saved, so pages never
// render Markdown on a request.
type Article struct {
	ID          int64
	Slug        string
	Headline    string
	Deck        string
	Body        string
	BodyHTML    string
	SectionID   int64
	AlsoIn      []int64 // other sections whose fronts list the article
	Status      Status
	PublishedAt time.Time // zero until first published
	CreatedAt   time.Time
	UpdatedAt   time.Time
	LeadImage   Image
	Tags        []Tag
	Authors     []author.Author
	CreatedBy   int64 // staff id, 0 when loaded by the demo or an import
	Version     int
	// SEOTitle and SEODescription replace the headline and deck in search
	// results and share cards when set.
	SEOTitle       string
	SEODescription string
	Corrections    []Correction // oldest first; loaded with the article
	// CommentMode is the article's own comment moderation mode, "" to
	// inherit its section's; the comment service changes it.
	CommentMode string
	// Language is the language the article is written in, English or
	// Korean, "" for one never set (English: see LanguageOf); CounterpartID is its version in the other language, 0 for
	// none. SetTranslation changes both, never a save.
	Language      string
	CounterpartID int64
	// SavedBy is the staff member making a change, recorded with the
	// revision each save keeps; it is not stored on the article.
	SavedBy int64
}

// Correction is a note appended to a published article, shown on it with
// its time.
type Correction struct {
	ID        int64
	ArticleID int64
	Body      string
	CreatedAt time.Time
}

// Tag is a topic label; articles link to /tag/{slug}.
type Tag struct {
	ID   int64
	Slug string
	Name string
}

// URL is the article's public path.
func (a Article) URL() string { return Path(a.ID, a.Slug) }

// Path builds the public path of an article from its id and slug.
func Path(id int64, slug string) string {
	return "/article/" + strconv.FormatInt(id, 10) + "/" + slug
}

// Cursor marks a position in a newest-first list for keyset paging: the
// list continues with articles strictly older than (PublishedAt, ID).
type Cursor struct {
	PublishedAt time.Time
	ID          int64
}

// IsZero reports a cursor that points at the start of a list.
func (c Cursor) IsZero() bool { return c.ID == 0 }

// String encodes the cursor for a URL: "<unix-ms>-<id>".
func (c Cursor) String() string {
	return strconv.FormatInt(c.PublishedAt.UnixMilli(), 10) + "-" + strconv.FormatInt(c.ID, 10)
}

// ParseCursor decodes a cursor made by Cursor.String.
func ParseCursor(s string) (Cursor, error) {
	for i := 0; i < len(s); i++ {
		if s[i] != '-' {
			continue
		}
		ms, err1 := strconv.ParseInt(s[:i], 10, 64)
		id, err2 := strconv.ParseInt(s[i+1:], 10, 64)
		if err1 != nil || err2 != nil || id <= 0 || ms < 0 {
			break
		}
		return Cursor{PublishedAt: time.UnixMilli(ms).UTC(), ID: id}, nil
	}
	return Cursor{}, ErrBadCursor
}

// ListQuery selects a newest-first page of articles.
type ListQuery struct {
	SectionIDs []int64 // any of these sections; empty for all
	AuthorID   int64
	TagID      int64
	Status     Status  // "" for any status the scope allows
	Scope      Scope   // whose articles: required, see Scope
	ExcludeIDs []int64 // leave these out (the article itself, the top stories)
	After      Cursor  // continue after this position
	Limit      int

	// The newsroom's list (see list.go): search words, the time of the
	// last change, a column to sort by and a page by number.
	Text        string     // words to find, as the reader's search box takes them; "" for any
	ChangedFrom time.Time  // last changed at or after; zero for no bound
	ChangedTo   time.Time  // last changed before; zero for no bound
	Sort        SortColumn // "" is newest first, as above, with cursors
	Ascending   bool       // with Sort: smallest first
	Offset      int        // with Sort: skip this many (pages by number)
}

// Month is one calendar month of publication, in UTC, as the sitemaps
// divide the archive: a month's URLs never move to another file.
type Month struct {
	Start        time.Time // first instant of the month, UTC
	Count        int       // published articles
	LastModified time.Time // newest change among them
}

// End is the first instant of the next month.
func (m Month) End() time.Time { return m.Start.AddDate(0, 1, 0) }

// Errors with meaning for callers.
var (
	ErrNotFound       = errors.New("article not found")
	ErrBadCursor      = errors.New("invalid page cursor")
	ErrVersionClash   = errors.New("the article was changed by someone else")
	ErrForbidden      = errors.New("your role may not do that")
	ErrUnknownSection = errors.New("unknown section")
)
