package web

import (
	"context"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/comment"
	"broadsheet/internal/reader"
)

// Comments is what the reader site needs for comments, reader accounts
// and login buttons. Without it the comment pages answer 404.
type Comments struct {
	Service  commentService
	Sessions *reader.Sessions
	Readers  readerAccounts
	Buttons  func(next string) []LoginButton // the configured providers, in order
}

// LoginButton is one "log in with" button.
type LoginButton struct {
	Provider  string
	Label     string
	URL       string
	Available bool // false while the provider is failing
}

type commentService interface {
	Policy(ctx context.Context) (comment.Policy, error)
	Settings(ctx context.Context) (comment.Settings, error)
	Mode(ctx context.Context, articleID int64) (comment.Mode, error)
	List(ctx context.Context, articleID int64, sort comment.Sort, offset int, viewer int64) (comment.Page, error)
	Post(ctx context.Context, r reader.Reader, in comment.PostInput) (comment.Comment, error)
	Edit(ctx context.Context, r reader.Reader, id int64, text string) (comment.Comment, error)
	Delete(ctx context.Context, r reader.Reader, id int64) error
	React(ctx context.Context, r reader.Reader, id int64, value int, ip string) (int, int, error)
	Report(ctx context.Context, r reader.Reader, id int64, in comment.ReportInput) error
}

type readerAccounts interface {
	Reader(ctx context.Context, id int64) (reader.Reader, error)
	SetReaderName(ctx context.Context, id int64, name string) error
	AcceptPolicy(ctx context.Context, id int64, version string) error
	DeleteReader(ctx context.Context, id int64) error
	ReaderComments(ctx context.Context, readerID int64, public bool, offset, limit int) ([]comment.Comment, error)
}

// EnableComments switches on comments, reader accounts and login.
func (h *Handler) EnableComments(c *Comments) { h.comments = c }

// viewer is the signed-in reader as pages show them.
type viewer struct {
	ID       int64
	Name     string
	CSRF     string
	PolicyOK bool
	session  reader.Session // for the signed-in hint cookie
}

// commentsData is the data of the comments block, alone or in its page.
type commentsData struct {
	layout
	ArticleID   int64
	ArticleURL  string
	Headline    string
	Self        string // this block's standalone page
	Back        string // where forms return without JavaScript: the page the block is shown in
	Page        comment.Page
	Sort        comment.Sort
	Sorts       []comment.Sort
	Viewer      *viewer
	Mode        comment.Mode
	MaxLength   int
	EditWindow  time.Duration
	Buttons     []LoginButton
	Policy      comment.Policy
	Error       string
	ErrorAt     string // the form the error belongs to: "comment", "reply-7", "report-7", …; "" above the block
	Notice      string
	Draft       string // the refused text, kept in the form named by ErrorAt
	DraftLength int
	ReportRule  int // the rule chosen in a refused report
	NextOffset  int
}

// formState is what a refused form post brings back to the block: the
// message, the form it belongs to and what the reader had typed.
type formState struct {
	Error, At, Draft string
	Rule             int
}

// commentItem pairs a comment with its block for the "comment" template;
// the block goes by pointer, as it is shared by every comment on the page.
type commentItem struct {
	B *commentsData
	C comment.Comment
}

// commentCounter is the character counter under a comment or reply box.
type commentCounter struct {
	B     *commentsData
	ID    string
	Count int
}

// hasForm reports whether the block draws the form named at ("comment",
// "reply-7", "report-7", …), so that an error meant for it has a place.
func (d *commentsData) hasForm(at string) bool {
	if at == "comment" {
		return d.Viewer != nil && d.Viewer.PolicyOK && d.Mode != comment.Closed
	}
	_, idText, ok := strings.Cut(at, "-")
	if !ok {
		return false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return false
	}
	for _, c := range d.Page.Comments {
		if c.ID == id {
			return true
		}
		if strings.HasPrefix(at, "reply-") {
			continue // replies are answered under their thread's first comment
		}
		for _, r := range c.Thread {
			if r.ID == id {
				return true
			}
		}
	}
	return false
}
