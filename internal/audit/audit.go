// Package audit keeps the log of every staff action: who did what to
// which thing, when, and the state before and after where one exists.
// Admins read it in the newsroom; nothing in it is ever changed.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"broadsheet/internal/account"
)

// Entry is one staff action.
type Entry struct {
	ID         int64
	StaffID    int64 // 0 when the account has since been deleted, or for the scheduler
	StaffName  string
	Action     string // e.g. "article.publish", "section.update", "staff.role"
	TargetType string // "article", "section", "author", "page", "staff", "settings", "image", ...
	TargetID   int64
	Summary    string // one line a person reads, e.g. the headline
	Before     string // JSON, "" when there was nothing before
	After      string // JSON, "" when nothing is left after
	CreatedAt  time.Time
}

// Query selects a newest-first page of the log.
type Query struct {
	StaffID    int64  // 0 for everyone
	TargetType string // "" for every kind
	TargetID   int64  // 0 for every target
	Action     string // "" for every action
	Before     int64  // entries with a smaller id (keyset paging); 0 from the newest
	Limit      int
}

// Store keeps the log.
type Store interface {
	AddAuditEntry(ctx context.Context, e *Entry) error
	AuditEntries(ctx context.Context, q Query) ([]Entry, error)
}

// Log records staff actions.
type Log struct {
	store  Store
	logger *slog.Logger
	now    func() time.Time
}

// New builds a Log; now may be nil for the wall clock.
func New(store Store, logger *slog.Logger, now func() time.Time) *Log {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Log{store: store, logger: logger, now: now}
}

// System is the actor for actions nobody took by hand, such as the
// scheduler publishing an article on time.
var System = account.Staff{Name: "scheduler"}

// Write adds one entry and reports a failure to the caller. Call it with
// the context of the transaction that makes the change (store.DB.InTx),
// so that the change and its entry are kept or lost together.
func (l *Log) Write(ctx context.Context, actor account.Staff, action, targetType string, targetID int64, summary string, before, after any) error {
	if l == nil {
		return nil
	}
	e := l.entry(actor, action, targetType, targetID, summary, before, after)
	if err := l.store.AddAuditEntry(ctx, &e); err != nil {
		return fmt.Errorf("audit: %s: %w", action, err)
	}
	return nil
}

func (l *Log) entry(actor account.Staff, action, targetType string, targetID int64, summary string, before, after any) Entry {
	e := Entry{StaffID: actor.ID, StaffName: actor.Name, Action: action, TargetType: targetType,
		TargetID: targetID, Summary: summary, Before: toJSON(before), After: toJSON(after),
		CreatedAt: l.now().UTC().Truncate(time.Millisecond)}
	if e.StaffName == "" {
		e.StaffName = actor.Email
	}
	return e
}

// Transactor runs a function in one database transaction: every store
// call made with the context it is given joins it (store.DB.InTx).
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Change makes a change through a service that keeps no audit log of its
// own, and writes its entry in the same transaction: both are kept or
// neither is. change returns an error to store nothing. after is stored
// as JSON (nil for none). Both doors (the API and the newsroom) make the
// moderators' changes this way, so either writes the same entry.
func (l *Log) Change(ctx context.Context, tx Transactor, actor account.Staff, action, targetType string, targetID int64, summary string, after any, change func(ctx context.Context) error) error {
	return tx.InTx(ctx, func(ctx context.Context) error {
		if err := change(ctx); err != nil {
			return err
		}
		return l.Write(ctx, actor, action, targetType, targetID, summary, nil, after)
	})
}

// Record writes one entry for an event that changes nothing else, such
// as a login. before and after are stored as JSON (nil for
// none). The action has already happened when Record is called, so a
// failure to write the log is reported to the operator's log rather than
// undoing the newsroom's work.
func (l *Log) Record(ctx context.Context, actor account.Staff, action, targetType string, targetID int64, summary string, before, after any) {
	if l == nil {
		return
	}
	e := l.entry(actor, action, targetType, targetID, summary, before, after)
	// The change is made: its entry is written even if the client has gone.
	if err := l.store.AddAuditEntry(context.WithoutCancel(ctx), &e); err != nil {
		l.logger.Error("audit log write failed", "action", action, "target", targetType, "id", targetID, "err", err)
	}
}

// Entries lists a page of the log.
func (l *Log) Entries(ctx context.Context, q Query) ([]Entry, error) {
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	return l.store.AuditEntries(ctx, q)
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
