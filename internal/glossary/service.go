package glossary

import (
	"context"
	"fmt"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
)

// Store is what the service needs from storage. ImportGlossary writes
// every entry in one transaction: all of them or none. InTx joins every
// call made with its context into one transaction, so that a change and
// its audit entry are kept or lost together.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	GlossaryEntry(ctx context.Context, id int64) (Entry, error)
	CreateGlossaryEntry(ctx context.Context, e *Entry) error
	UpdateGlossaryEntry(ctx context.Context, e *Entry) error
	DeleteGlossaryEntry(ctx context.Context, id int64) error
	ImportGlossary(ctx context.Context, entries []Entry) (ImportResult, error)
}

// ImportResult counts what an import did.
type ImportResult struct {
	Added     int // new headword and language
	Updated   int // existing entry whose translation or note changed
	Unchanged int // existing entry with the same text already
}

// Service applies the newsroom's rules to glossary changes: only editors
// and admins change it, every entry is valid, and every change is in the
// audit log (when it has one), written in the change's transaction. The
// JSON API and the newsroom's glossary pages both use it.
//
// Nothing caches glossary entries in the process: dictionary look-ups
// read them from the database each time and their answers are cached by
// browsers for a minute at most, so a change needs no invalidation and
// shows on every instance, however it was made (API or command line).
type Service struct {
	store Store
	now   func() time.Time
	log   *audit.Log
}

// NewService builds a Service; now may be nil for the real clock.
func NewService(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

// SetAudit makes the service record every change in log.
func (s *Service) SetAudit(log *audit.Log) { s.log = log }

func checkRole(actor account.Staff) error {
	if !actor.Role.CanManage() {
		return ErrForbidden
	}
	return nil
}

// Create validates in and stores it as a new entry; ErrExists if the
// headword already has an entry in that language.
func (s *Service) Create(ctx context.Context, actor account.Staff, in Input) (Entry, error) {
	if err := checkRole(actor); err != nil {
		return Entry{}, err
	}
	in, err := in.Normalize()
	if err != nil {
		return Entry{}, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	e := Entry{Headword: in.Headword, Lang: in.Lang, Translation: in.Translation, Note: in.Note, CreatedAt: now, UpdatedAt: now}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateGlossaryEntry(ctx, &e); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "glossary.create", "glossary", e.ID, e.Headword, nil, e)
	})
	if err != nil {
		return Entry{}, err
	}
	return e, nil
}

// Update replaces the fields of entry id with those of in (the caller
// overlays a partial change on the stored entry first).
func (s *Service) Update(ctx context.Context, actor account.Staff, id int64, in Input) (Entry, error) {
	if err := checkRole(actor); err != nil {
		return Entry{}, err
	}
	in, err := in.Normalize()
	if err != nil {
		return Entry{}, err
	}
	var e Entry
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.GlossaryEntry(ctx, id)
		if err != nil {
			return err
		}
		e = before
		e.Headword, e.Lang, e.Translation, e.Note = in.Headword, in.Lang, in.Translation, in.Note
		e.UpdatedAt = s.now().UTC().Truncate(time.Millisecond)
		if err := s.store.UpdateGlossaryEntry(ctx, &e); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "glossary.update", "glossary", id, e.Headword, before, e)
	})
	if err != nil {
		return Entry{}, err
	}
	return e, nil
}

// Delete removes entry id.
func (s *Service) Delete(ctx context.Context, actor account.Staff, id int64) error {
	if err := checkRole(actor); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.GlossaryEntry(ctx, id)
		if err != nil {
			return err
		}
		if err := s.store.DeleteGlossaryEntry(ctx, id); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "glossary.delete", "glossary", id, before.Headword, before, nil)
	})
}

// Import validates every row and, only if all are valid, adds or updates
// them in one transaction. A bad row is reported with its number and
// reason in an *ImportError, and nothing is stored.
func (s *Service) Import(ctx context.Context, actor account.Staff, rows []Row) (ImportResult, error) {
	if err := checkRole(actor); err != nil {
		return ImportResult{}, err
	}
	entries, err := Prepare(rows, s.now())
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if res, err = s.store.ImportGlossary(ctx, entries); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "glossary.import", "glossary", 0,
			fmt.Sprintf("%d added, %d updated, %d unchanged", res.Added, res.Updated, res.Unchanged), nil, res)
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("glossary: import: %w", err)
	}
	return res, nil
}
