package section

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
	"broadsheet/internal/cache"
)

// Store is what the service needs from storage. InTx makes every call
// made with the context it hands on join one transaction, so that a
// change and its audit entry are kept or lost together.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	SectionByID(ctx context.Context, id int64) (Section, error)
	SectionByPath(ctx context.Context, path string) (Section, error)
	CreateSection(ctx context.Context, s *Section) error
	EditSection(ctx context.Context, s *Section) error
	DeleteSection(ctx context.Context, id int64) error
}

// ErrForbidden refuses a change by a role that may not manage sections.
var ErrForbidden = errors.New("only editors and admins manage sections")

// ValidationError maps each invalid field to a message a person can act on.
type ValidationError map[string]string

func (v ValidationError) Error() string {
	return fmt.Sprintf("invalid section: %v", map[string]string(v))
}

// MaxPosition bounds a section's position among its siblings.
const MaxPosition = 9999

// Input is a section as a form or a request gives it. The parent is
// named by id (ParentID, 0 for the top level) or, when ParentPath is not
// empty, by its path.
type Input struct {
	Slug        string
	Name        string
	NameKo      string // the Korean name; "" for none
	Description string
	ParentID    int64
	ParentPath  string
	Position    int
}

// Service applies the newsroom's rules to section changes, whichever
// door they come through (the JSON API or the newsroom's pages): one
// validation, one permission check, one audit entry written in the same
// transaction as the change.
type Service struct {
	store Store
	log   *audit.Log
	cache cache.Invalidator
}

// NewService builds a Service; log and inv may be nil (tools and tests
// that keep no log or no cache).
func NewService(store Store, log *audit.Log, inv cache.Invalidator) *Service {
	return &Service{store: store, log: log, cache: cache.OrNop(inv)}
}

func checkRole(actor account.Staff) error {
	if !actor.Role.CanManage() {
		return ErrForbidden
	}
	return nil
}

// prepare builds the section in describes and checks every field,
// looking its parent up in the transaction of ctx.
func (s *Service) prepare(ctx context.Context, in Input) (Section, error) {
	sec := Section{Slug: strings.TrimSpace(in.Slug), Name: in.Name, NameKo: in.NameKo, Description: in.Description,
		ParentID: in.ParentID, Position: in.Position}
	v := ValidationError(sec.Validate())
	if sec.Position < 0 || sec.Position > MaxPosition {
		v["position"] = fmt.Sprintf("must be a whole number from 0 to %d", MaxPosition)
	}
	switch path := strings.Trim(strings.TrimSpace(in.ParentPath), "/"); {
	case path != "":
		p, err := s.store.SectionByPath(ctx, path)
		if errors.Is(err, ErrNotFound) {
			v["parent"] = "no section has that path"
		} else if err != nil {
			return Section{}, err
		}
		sec.ParentID = p.ID
	case sec.ParentID < 0:
		v["parent"] = "no section has that id"
	case sec.ParentID > 0:
		if _, err := s.store.SectionByID(ctx, sec.ParentID); errors.Is(err, ErrNotFound) {
			v["parent"] = "no section has that id"
		} else if err != nil {
			return Section{}, err
		}
	}
	if len(v) > 0 {
		return Section{}, v
	}
	return sec, nil
}

// Create validates in and stores it as a new section; ErrExists if its
// path is taken.
func (s *Service) Create(ctx context.Context, actor account.Staff, in Input) (Section, error) {
	if err := checkRole(actor); err != nil {
		return Section{}, err
	}
	var sec Section
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if sec, err = s.prepare(ctx, in); err != nil {
			return err
		}
		if err := s.store.CreateSection(ctx, &sec); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "section.create", "section", sec.ID, sec.Path, nil, sec)
	})
	if err != nil {
		return Section{}, err
	}
	s.cache.Invalidate(cache.KeyNav)
	return sec, nil
}

// Update replaces every field of section id with in (the caller overlays
// a partial change on the stored section first). A new slug or parent
// moves the section and everything under it to new addresses; a parent
// inside the section itself is ErrLoop.
func (s *Service) Update(ctx context.Context, actor account.Staff, id int64, in Input) (Section, error) {
	if err := checkRole(actor); err != nil {
		return Section{}, err
	}
	var before, sec Section
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if before, err = s.store.SectionByID(ctx, id); err != nil {
			return err
		}
		if sec, err = s.prepare(ctx, in); err != nil {
			return err
		}
		sec.ID = id
		if sec.ParentID == id {
			return fmt.Errorf("section %d under itself: %w", id, ErrLoop)
		}
		if err := s.store.EditSection(ctx, &sec); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "section.update", "section", id, sec.Path, before, sec)
	})
	if err != nil {
		return Section{}, err
	}
	if sec.Path != before.Path {
		// Every address under the section changed, articles' included.
		s.cache.Invalidate(cache.KeyAll)
	} else {
		s.cache.Invalidate(cache.KeyNav, cache.SectionKey(id))
	}
	return sec, nil
}

// Delete removes an empty section; ErrInUse if articles or sections are
// still under it.
func (s *Service) Delete(ctx context.Context, actor account.Staff, id int64) error {
	if err := checkRole(actor); err != nil {
		return err
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.SectionByID(ctx, id)
		if err != nil {
			return err
		}
		if err := s.store.DeleteSection(ctx, id); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "section.delete", "section", id, before.Path, before, nil)
	})
	if err != nil {
		return err
	}
	s.cache.Invalidate(cache.KeyNav, cache.SectionKey(id))
	return nil
}
