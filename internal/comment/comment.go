package comment

import (
	"math"
	"time"
)

// Status is where a comment stands.
type Status string

// The statuses of a comment.
const (
	Visible  Status = "visible"  // shown to everyone
	Held     Status = "held"     // waiting for a moderator; shown only to its author
	Rejected Status = "rejected" // refused by a moderator; shown only to its author
	Deleted  Status = "deleted"  // removed; a placeholder while it has replies
)

// Comment is one reader comment or reply.
type Comment struct {
	ID           int64
	ArticleID    int64
	ParentID     int64 // 0 for a top-level comment; replies go one level deep
	ReaderID     int64 // 0 once the author deleted their account
	ReaderName   string
	ReaderAvatar string
	Body         string
	Status       Status
	Rule         int    // the policy rule a hold, rejection or deletion applied; 0 for none
	ModReason    string // the moderator's reason, shown to the author
	Likes        int
	Dislikes     int
	Reports      int
	Replies      int // visible replies
	CreatedAt    time.Time
	EditedAt     time.Time // zero unless edited
	Mine         int       // the viewer's reaction: 1 like, -1 dislike, 0 none
	Thread       []Comment // replies, oldest first, when listed under their parent
}

// Edited reports whether the author changed the comment after posting it.
func (c Comment) Edited() bool { return !c.EditedAt.IsZero() }

// Score ranks comments for the "best" order: the lower bound of the
// Wilson score interval at 95% confidence for the share of likes. Unlike
// likes minus dislikes it does not let 3 likes out of 3 beat 90 out of 100.
func Score(likes, dislikes int) float64 {
	n := float64(likes + dislikes)
	if n == 0 {
		return 0
	}
	const z = 1.959964
	p := float64(likes) / n
	return (p + z*z/(2*n) - z*math.Sqrt((p*(1-p)+z*z/(4*n))/n)) / (1 + z*z/n)
}

// Sort is an order of a comment list.
type Sort string

// The orders readers can choose.
const (
	Newest Sort = "newest"
	Oldest Sort = "oldest"
	Best   Sort = "best"
)

// ParseSort reads a sort name; anything else is the default, newest.
func ParseSort(s string) Sort {
	switch Sort(s) {
	case Oldest, Best:
		return Sort(s)
	}
	return Newest
}

// Page is one page of an article's top-level comments with their replies.
type Page struct {
	Comments []Comment
	Total    int // visible comments and replies on the article
	Sort     Sort
	Offset   int
	More     bool // another page follows
}

// PageSize is how many top-level comments one page shows.
const PageSize = 20

// MaxReplies bounds the replies listed under one comment.
const MaxReplies = 100
