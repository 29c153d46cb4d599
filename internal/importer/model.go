// Package importer brings a paper's archive in from another system. A
// Source (internal/importer/wordpress, internal/importer/ghost) reads an
// export file into the records below; Run checks every record, then writes
// them all in one transaction, keyed by the source's own ids so that a
// second run updates what changed and adds nothing.
package importer

import (
	"context"
	"strconv"
	"time"
)

// Record is one thing a Source read: *Author, *Section, *Tag or *Post.
type Record interface{ record() }

// Author is a byline. Email, when given, is how an author already in the
// paper is matched.
type Author struct {
	SourceID string
	Name     string
	Email    string
	Slug     string
	Bio      string
}

// Section is a WordPress category or a Ghost primary tag. ParentSourceID
// names a section that came earlier in the file, or is "".
type Section struct {
	SourceID       string
	Slug           string
	Name           string
	Description    string
	ParentSourceID string
}

// Tag is a topic label.
type Tag struct {
	SourceID string
	Slug     string
	Name     string
}

// Kind tells an article from a static page.
type Kind string

// The kinds of post.
const (
	KindArticle Kind = "article"
	KindPage    Kind = "page"
)

// Status is a post's state in the source, mapped to the paper's workflow.
type Status string

// The statuses a source's posts map to. Private posts (WordPress private
// or password-protected, Ghost members-only or paid) are imported as
// drafts, so that nothing a source kept from the public becomes public.
const (
	StatusPublished Status = "published"
	StatusScheduled Status = "scheduled"
	StatusDraft     Status = "draft"
	StatusReview    Status = "review"
	StatusPrivate   Status = "private"
)

// Image is a lead image: URL is the original address, File the path of
// the file under the media folder when the operator gave one and the file
// is there.
type Image struct {
	URL     string
	File    string
	Alt     string
	Caption string
	Credit  string
}

// Post is an article or a page. HTML is the body as the source stores it
// (classic HTML, Gutenberg block comments, shortcodes already expanded to
// HTML by the source); Run sanitizes it and turns it into the paper's
// Markdown. OldPaths are the addresses the post answered at in the old
// system ("/2019/03/some-slug/", "/?p=123", "/some-slug/"), each of which
// will answer 301 to the post's new address.
type Post struct {
	SourceID        string
	Kind            Kind
	Title           string
	Slug            string // for a page, the whole path: "about/team"
	Excerpt         string
	HTML            string
	Status          Status
	PublishedAt     time.Time // zero for a draft never published
	UpdatedAt       time.Time
	AuthorSourceIDs []string
	SectionSourceID string // "" for none: the paper's default section
	TagSourceIDs    []string
	LeadImage       *Image
	OldPaths        []string
	Comments        []Comment
}

// Comment is a reader's comment on a post. Threads deeper than one level
// are flattened by Run to the paper's one level of replies. Pingbacks and
// trackbacks are left out by the source.
type Comment struct {
	SourceID       string
	ParentSourceID string
	AuthorName     string
	AuthorEmail    string
	AuthorURL      string
	Body           string // HTML or plain text
	Approved       bool
	CreatedAt      time.Time
}

func (*Author) record()  {}
func (*Section) record() {}
func (*Tag) record()     {}
func (*Post) record()    {}

// Source reads one export file. Scan may be called more than once and
// reads the file afresh each time, streaming it: a file of 100,000 posts
// is never held in memory. Records arrive in an order where everything a
// record refers to came before it (authors, sections and tags before the
// posts that use them, a section's parent before it). An error from fn
// stops the scan and is returned; a malformed record is an *Error.
type Source interface {
	Name() string // "wordpress", "ghost": the key of the source's ids
	Scan(ctx context.Context, fn func(Record) error) error
}

// Error refuses a file at one record: Record counts from 1 in the order
// records are read, and Reason says what is wrong in words an operator
// can act on.
type Error struct {
	Record int
	ID     string // the source's id of the record, when it has one
	Reason string
}

func (e *Error) Error() string {
	if e.ID != "" {
		return "record " + strconv.Itoa(e.Record) + " (id " + e.ID + "): " + e.Reason
	}
	return "record " + strconv.Itoa(e.Record) + ": " + e.Reason
}
