package comment

import "time"

// LogEntry is one moderation decision: by a staff member, or by the
// rules themselves (StaffID 0), with the policy rule it applied.
type LogEntry struct {
	ID        int64
	At        time.Time
	StaffID   int64
	StaffName string
	Action    string // approve, reject, delete, ban, unban, auto_hide, auto_reject, auto_hold, author_delete
	CommentID int64
	ReaderID  int64
	Rule      int
	Reason    string
}

// Queued is a comment in the moderators' queue with its reports.
type Queued struct {
	Comment
	Reasons []string
}

// Reaction is a reader's like (1) or dislike (-1).
type Reaction struct {
	CommentID int64
	Value     int
	At        time.Time
}

// PostQuery says which counts the limits need for a new comment.
type PostQuery struct {
	// The limits in force: a count stops at its limit (it need not know
	// more), and a limit that is off (0) is not counted at all.
	MaxToday, MaxOnArticle, MaxIP int
	CheckDuplicate                bool

	DayStart       time.Time
	DuplicateSince time.Time
	IPSince        time.Time
}

// ListQuery asks for one page of an article's comments.
type ListQuery struct {
	ArticleID int64
	Sort      Sort
	Offset    int
	Limit     int
	Viewer    int64 // the signed-in reader, who also sees their own held comments; 0 for none
}

// ReactQuery says which counts the reaction limits need.
type ReactQuery struct {
	DayStart time.Time
	IPSince  time.Time
	IPHash   string
}

// QueueQuery filters the moderators' queue.
type QueueQuery struct {
	Held     bool // held comments
	Reported bool // visible comments with reports
	Offset   int
	Limit    int
}
