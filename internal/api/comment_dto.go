package api

import (
	"time"

	"broadsheet/internal/comment"
	"broadsheet/internal/reader"
)

type commenterDTO struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	AvatarURL string `json:"avatar_url"`
}

type ruleDTO struct {
	Number int    `json:"number"`
	Text   string `json:"text"`
}

type commentDTO struct {
	ID        int64         `json:"id"`
	ArticleID int64         `json:"article_id"`
	ParentID  int64         `json:"parent_id,omitempty"`
	Author    *commenterDTO `json:"author"`
	Body      string        `json:"body"`
	Status    string        `json:"status"`
	Rule      *ruleDTO      `json:"rule,omitempty"`
	Reason    string        `json:"moderator_reason,omitempty"`
	Likes     int           `json:"likes"`
	Dislikes  int           `json:"dislikes"`
	Mine      int           `json:"my_reaction"`
	CreatedAt time.Time     `json:"created_at"`
	EditedAt  *time.Time    `json:"edited_at,omitempty"`
	Replies   []commentDTO  `json:"replies,omitempty"`
}

func commentOut(c comment.Comment, p comment.Policy) commentDTO {
	d := commentDTO{ID: c.ID, ArticleID: c.ArticleID, ParentID: c.ParentID, Body: c.Body, Status: string(c.Status),
		Reason: c.ModReason, Likes: c.Likes, Dislikes: c.Dislikes, Mine: c.Mine, CreatedAt: c.CreatedAt}
	if c.ReaderID != 0 {
		d.Author = &commenterDTO{ID: c.ReaderID, Name: c.ReaderName, AvatarURL: c.ReaderAvatar}
	}
	if c.Rule != 0 {
		r := p.Rule(c.Rule)
		d.Rule = &ruleDTO{Number: r.Number, Text: r.Text}
	}
	if c.Edited() {
		e := c.EditedAt
		d.EditedAt = &e
	}
	for _, rp := range c.Thread {
		d.Replies = append(d.Replies, commentOut(rp, p))
	}
	return d
}

// commentsOut appends the DTOs of list to out, which starts non-nil so an
// empty list is written as [] rather than null.
func commentsOut(out []commentDTO, list []comment.Comment, p comment.Policy) []commentDTO {
	for _, c := range list {
		out = append(out, commentOut(c, p))
	}
	return out
}

type commentPageDTO struct {
	Total    int          `json:"total"`
	Sort     string       `json:"sort"`
	Offset   int          `json:"offset"`
	Next     *int         `json:"next_offset,omitempty"`
	Comments []commentDTO `json:"comments"`
}

type commentRequest struct {
	Body     string `json:"body"`
	ParentID int64  `json:"parent_id"`
}

type editRequest struct {
	Body string `json:"body"`
}

type reactionRequest struct {
	Value int `json:"value"`
}

type reactionDTO struct {
	Likes    int `json:"likes"`
	Dislikes int `json:"dislikes"`
	Mine     int `json:"my_reaction"`
}

type reportRequest struct {
	Rule   int    `json:"rule"`
	Reason string `json:"reason"`
}

type meDTO struct {
	ID             int64      `json:"id"`
	Provider       string     `json:"provider"`
	Name           string     `json:"name"`
	AvatarURL      string     `json:"avatar_url"`
	CreatedAt      time.Time  `json:"created_at"`
	PolicyAccepted bool       `json:"policy_accepted"`
	PolicyVersion  string     `json:"policy_version"`
	BannedUntil    *time.Time `json:"banned_until,omitempty"`
	CSRFToken      string     `json:"csrf_token"`
}

func meOut(r reader.Reader, csrf string, p comment.Policy) meDTO {
	d := meDTO{ID: r.ID, Provider: r.Provider, Name: r.DisplayName, AvatarURL: r.AvatarURL, CreatedAt: r.CreatedAt,
		PolicyAccepted: r.PolicyVersion == p.Version, PolicyVersion: p.Version, CSRFToken: csrf}
	if !r.BannedUntil.IsZero() {
		u := r.BannedUntil
		d.BannedUntil = &u
	}
	return d
}

type meRequest struct {
	Name string `json:"name"`
}

type policyDTO struct {
	Version string    `json:"version"`
	Rules   []ruleDTO `json:"rules"`
}

func policyOut(p comment.Policy) policyDTO {
	d := policyDTO{Version: p.Version, Rules: []ruleDTO{}}
	for _, r := range p.Rules {
		d.Rules = append(d.Rules, ruleDTO{Number: r.Number, Text: r.Text})
	}
	return d
}

type acceptPolicyRequest struct {
	Version string `json:"version"`
}

type exportDTO struct {
	Account   meDTO          `json:"account"`
	Subject   string         `json:"provider_subject"`
	Comments  []commentDTO   `json:"comments"`
	Reactions []reactionItem `json:"reactions"`
}

type reactionItem struct {
	CommentID int64     `json:"comment_id"`
	Value     int       `json:"value"`
	At        time.Time `json:"at"`
}
