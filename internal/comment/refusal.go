package comment

import (
	"fmt"
	"time"
)

// Kind groups refusals by the answer they deserve.
type Kind int

// The kinds of refusal, each with its own HTTP status.
const (
	KindInvalid   Kind = iota // 422: the text or request breaks a rule of form
	KindForbidden             // 403: not allowed for this reader (banned, not theirs, too late)
	KindClosed                // 403: comments are closed on this article
	KindPolicy                // 428: the reader has not accepted the current policy
	KindLimited               // 429: an anti-manipulation limit; RetryAfter says when
	KindNotFound              // 404
	KindConflict              // 409: already done (a second report)
)

// Refusal is why a reader's action was refused, in words for people.
type Refusal struct {
	Kind       Kind
	Code       string        // stable, for clients: "too_long", "banned", "rate_limited", ...
	Message    string        // English sentence for the reader
	Rule       Rule          // the policy rule applied, if any (Number 0: none)
	RetryAfter time.Duration // for KindLimited
	Limit      int           // the limit that applied, for too_long and rate limits
	Length     int           // the comment's length, for too_long
	Until      time.Time     // end of a ban; zero for a permanent one
}

func (r *Refusal) Error() string { return r.Message }

func invalid(code, msg string) *Refusal {
	return &Refusal{Kind: KindInvalid, Code: code, Message: msg}
}

func notFound(what string) *Refusal {
	return &Refusal{Kind: KindNotFound, Code: "not_found", Message: fmt.Sprintf("There is no such %s.", what)}
}

// Missing things, each named in its message.
var (
	ErrNotFound            = notFound("comment")
	ErrNoReader            = notFound("reader")
	ErrNoSection           = notFound("section")
	ErrNoBannedWord        = notFound("banned word")
	ErrNoArticleToModerate = notFound("article")
)
