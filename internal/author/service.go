package author

import (
	"context"
	"errors"
	"fmt"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
	"broadsheet/internal/cache"
)

// Store is what the service needs from storage; InTx joins every call
// made with its context into one transaction.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	AuthorByID(ctx context.Context, id int64) (Author, error)
	SaveAuthor(ctx context.Context, a *Author) error
}

// ErrForbidden refuses a change by a role that may not manage authors.
var ErrForbidden = errors.New("only editors and admins manage authors")

// ValidationError maps each invalid field to a message a person can act on.
type ValidationError map[string]string

func (v ValidationError) Error() string {
	return fmt.Sprintf("invalid author: %v", map[string]string(v))
}

// Input is an author's editable fields as a form or a request gives them.
type Input struct {
	Name, Title, Email, Bio, PhotoURL string
}

// InputOf is the editable fields of a, for a caller that overlays a
// partial change on the stored author.
func InputOf(a Author) Input {
	return Input{Name: a.Name, Title: a.Title, Email: a.Email, Bio: a.Bio, PhotoURL: a.PhotoURL}
}

// Service applies the newsroom's rules to author changes for both doors
// (the JSON API and the newsroom's pages): one validation, one
// permission check, one audit entry in the change's transaction.
type Service struct {
	store Store
	log   *audit.Log
	cache cache.Invalidator
}

// NewService builds a Service; log and inv may be nil.
func NewService(store Store, log *audit.Log, inv cache.Invalidator) *Service {
	return &Service{store: store, log: log, cache: cache.OrNop(inv)}
}

func checkRole(actor account.Staff) error {
	if !actor.Role.CanManage() {
		return ErrForbidden
	}
	return nil
}

func (in Input) apply(a *Author) error {
	a.Name, a.Title, a.Email, a.Bio, a.PhotoURL = in.Name, in.Title, in.Email, in.Bio, in.PhotoURL
	if v := a.Normalize(); len(v) > 0 {
		return ValidationError(v)
	}
	return nil
}

// Create validates in and stores a new author; ErrEmailTaken if another
// author has the address.
func (s *Service) Create(ctx context.Context, actor account.Staff, in Input) (Author, error) {
	if err := checkRole(actor); err != nil {
		return Author{}, err
	}
	var a Author
	if err := in.apply(&a); err != nil {
		return Author{}, err
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveAuthor(ctx, &a); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "author.create", "author", a.ID, a.Name, nil, a)
	})
	if err != nil {
		return Author{}, err
	}
	return a, nil
}

// Update replaces the editable fields of author id with in (the caller
// overlays a partial change on the stored author first).
func (s *Service) Update(ctx context.Context, actor account.Staff, id int64, in Input) (Author, error) {
	if err := checkRole(actor); err != nil {
		return Author{}, err
	}
	var a Author
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.AuthorByID(ctx, id)
		if err != nil {
			return err
		}
		a = before
		if err := in.apply(&a); err != nil {
			return err
		}
		if err := s.store.SaveAuthor(ctx, &a); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "author.update", "author", id, a.Name, before, a)
	})
	if err != nil {
		return Author{}, err
	}
	s.cache.Invalidate(cache.AuthorKey(id))
	return a, nil
}
