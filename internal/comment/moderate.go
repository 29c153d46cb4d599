package comment

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"broadsheet/internal/reader"
)

// ModStore is what moderators' actions need beyond Store.
type ModStore interface {
	Queue(ctx context.Context, q QueueQuery) ([]Queued, error)
	ModerationLog(ctx context.Context, readerID, before int64, limit int) ([]LogEntry, error)
	BanReader(ctx context.Context, readerID int64, until time.Time, e LogEntry) error
	SaveBannedWord(ctx context.Context, w *BannedWord) error
	DeleteBannedWord(ctx context.Context, id int64) error
	SetArticleCommentMode(ctx context.Context, id int64, mode Mode) error
	SetSectionCommentMode(ctx context.Context, id int64, mode Mode) error
}

// Moderator is the staff member acting.
type Moderator struct {
	ID   int64
	Name string
}

// Decision names of the moderators' actions on a comment.
const (
	ActApprove = "approve"
	ActReject  = "reject"
	ActDelete  = "delete"
)

// MaxReason bounds a moderator's reason.
const MaxReason = 1000

// Moderate approves, rejects or deletes a comment. Rejecting and deleting
// must name the policy rule applied; every decision is logged.
func (s *Service) Moderate(ctx context.Context, by Moderator, id int64, action string, rule int, reason string) (Comment, error) {
	pol, err := s.Policy(ctx)
	if err != nil {
		return Comment{}, err
	}
	reason, err = checkReason(reason)
	if err != nil {
		return Comment{}, err
	}
	var to Status
	switch action {
	case ActApprove:
		to, rule = Visible, 0
	case ActReject:
		to = Rejected
	case ActDelete:
		to = Deleted
	default:
		return Comment{}, invalid("bad_action", "The action must be approve, reject or delete.")
	}
	if to != Visible {
		if err := checkRule(pol, rule); err != nil {
			return Comment{}, err
		}
	}
	before, err := s.store.SetCommentStatus(ctx, id, to, LogEntry{At: s.now(), StaffID: by.ID, Action: action, Rule: rule, Reason: reason})
	if err != nil {
		return Comment{}, err
	}
	after := before
	after.Status, after.Rule, after.ModReason = to, rule, reason
	if to == Deleted {
		after.Body = ""
	}
	return after, nil
}

func checkRule(p Policy, rule int) error {
	if len(p.Rules) == 0 {
		return nil // no policy published: nothing to cite
	}
	for _, r := range p.Rules {
		if r.Number == rule {
			return nil
		}
	}
	return invalid("bad_rule", fmt.Sprintf("Name the rule of the Standards Board Policy that applies: a number from 1 to %d.", len(p.Rules)))
}

func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if !utf8.ValidString(reason) || utf8.RuneCountInString(reason) > MaxReason || strings.ContainsFunc(reason, isControl) {
		return "", invalid("bad_reason", fmt.Sprintf("The reason must be plain text of at most %d characters.", MaxReason))
	}
	return reason, nil
}

// Ban stops a reader from commenting and reacting until a time, or for
// good when until is zero.
func (s *Service) Ban(ctx context.Context, by Moderator, readerID int64, until time.Time, rule int, reason string) error {
	pol, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	if reason, err = checkReason(reason); err != nil {
		return err
	}
	if err := checkRule(pol, rule); err != nil {
		return err
	}
	if until.IsZero() {
		until = reader.Forever
	} else if !until.After(s.now()) {
		return invalid("bad_until", "A ban must end in the future; leave the end out for a permanent ban.")
	}
	return s.store.BanReader(ctx, readerID, until, LogEntry{At: s.now(), StaffID: by.ID, Action: "ban", Rule: rule, Reason: reason})
}

// Unban lifts a reader's ban.
func (s *Service) Unban(ctx context.Context, by Moderator, readerID int64, reason string) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	return s.store.BanReader(ctx, readerID, time.Time{}, LogEntry{At: s.now(), StaffID: by.ID, Action: "unban", Reason: reason})
}

// ChangeSettings applies and stores new comment settings.
func (s *Service) ChangeSettings(ctx context.Context, m map[string]string) (Settings, map[string]string, error) {
	cur, err := s.Settings(ctx)
	if err != nil {
		return Settings{}, nil, err
	}
	next, bad := cur.Change(m)
	if len(bad) > 0 {
		return cur, bad, nil
	}
	for k, v := range next.Map() {
		if err := s.store.SetSetting(ctx, k, v); err != nil {
			return cur, nil, err
		}
	}
	s.Forget()
	return next, nil, nil
}

// SaveBannedWord validates and stores a banned word.
func (s *Service) SaveBannedWord(ctx context.Context, w BannedWord) (BannedWord, map[string]string, error) {
	w, bad := NormalizeBannedWord(w)
	if len(bad) > 0 {
		return w, bad, nil
	}
	if err := s.store.SaveBannedWord(ctx, &w); err != nil {
		return w, nil, err
	}
	s.Forget()
	return w, nil, nil
}

// DeleteBannedWord removes a banned word.
func (s *Service) DeleteBannedWord(ctx context.Context, id int64) error {
	if err := s.store.DeleteBannedWord(ctx, id); err != nil {
		return err
	}
	s.Forget()
	return nil
}

// Queue lists comments waiting for a moderator.
func (s *Service) Queue(ctx context.Context, q QueueQuery) ([]Queued, error) {
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	return s.store.Queue(ctx, q)
}

// Log lists moderation decisions, newest first; readerID 0 for all.
func (s *Service) Log(ctx context.Context, readerID, before int64, limit int) ([]LogEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.store.ModerationLog(ctx, readerID, before, limit)
}

// SetMode sets the comment mode of a section or an article ("" inherits).
func (s *Service) SetMode(ctx context.Context, scope string, id int64, mode Mode) error {
	switch scope {
	case "article":
		return s.store.SetArticleCommentMode(ctx, id, mode)
	case "section":
		return s.store.SetSectionCommentMode(ctx, id, mode)
	}
	return invalid("bad_scope", `The scope must be "article" or "section"; the site's mode is a setting.`)
}
