package redirect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
	"broadsheet/internal/cache"
)

// ErrForbidden reports a staff member whose role may not change redirects
// (editors and admins may).
var ErrForbidden = errors.New("only editors and admins manage redirects")

// ErrExists reports a redirect from an address that already has one.
var ErrExists = errors.New("that address already redirects")

// ownPaths are the site's own trees, which never reach the reader site's
// 404 and so could never redirect.
var ownPaths = []string{"/newsroom", "/api"}

// MaxQuery bounds the text a list is searched by, in bytes.
const MaxQuery = 200

// Store is what the service needs from storage; store.DB implements it.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	SaveRedirect(ctx context.Context, r Redirect) error
	DeleteRedirect(ctx context.Context, from string) error
	RedirectTarget(ctx context.Context, from string) (string, error)
	FindRedirects(ctx context.Context, contains, after string, limit int) ([]Redirect, error)
}

// Service is the one door to the redirects made and removed by hand: the
// newsroom's page and the JSON API both go through it, for the role, the
// checks and the audit entry.
type Service struct {
	store Store
	audit *audit.Log
	cache cache.Invalidator
	now   func() time.Time
}

// NewService makes the service; log, inv and now may be nil.
func NewService(st Store, log *audit.Log, inv cache.Invalidator, now func() time.Time) *Service {
	if inv == nil {
		inv = cache.Nop{}
	}
	if now == nil {
		now = time.Now
	}
	return &Service{store: st, audit: log, cache: inv, now: now}
}

// List gives up to limit redirects, in order of their old address, after
// the address after ("" from the start), whose old or new address
// contains query ("" for all). query is compared in its stored form, so
// "/2019/03/예산" finds "/2019/03/%ec%98%88%ec%82%b0".
func (s *Service) List(ctx context.Context, actor account.Staff, query, after string, limit int) ([]Redirect, error) {
	if !actor.Role.CanManage() {
		return nil, ErrForbidden
	}
	if len(query) > MaxQuery {
		return nil, &Error{Field: "q", Path: query[:MaxQuery] + "…", Code: "too_long", Reason: fmt.Sprintf("is longer than %d bytes", MaxQuery)}
	}
	if query != "" {
		query = escape(query)
	}
	return s.store.FindRedirects(ctx, query, after, limit)
}

// Add stores a redirect from from to to made by hand, after checking both
// (an *Error names what is wrong); an address that already redirects is
// ErrExists: delete its redirect first.
func (s *Service) Add(ctx context.Context, actor account.Staff, from, to string) (Redirect, error) {
	if !actor.Role.CanManage() {
		return Redirect{}, ErrForbidden
	}
	r := Redirect{From: from, To: to, CreatedAt: s.now().UTC().Truncate(time.Millisecond)}
	if err := r.Normalize(); err != nil {
		return Redirect{}, err
	}
	for _, own := range ownPaths {
		if r.From == own || strings.HasPrefix(r.From, own+"/") {
			return Redirect{}, &Error{Field: "from", Path: from, Code: "own_path", Reason: "is under " + own + "/, which the site answers itself, so it could never redirect"}
		}
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		_, err := s.store.RedirectTarget(ctx, r.From)
		if err == nil {
			return ErrExists
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := s.store.SaveRedirect(ctx, r); err != nil {
			return err
		}
		return s.write(ctx, actor, "redirect.create", "redirect "+r.From+" → "+r.To, r)
	})
	if err != nil {
		return Redirect{}, err
	}
	// A cached 404 at the old address becomes the redirect.
	s.cache.Invalidate(cache.KeyAll)
	return r, nil
}

// Delete removes the redirect from the address from (in any form
// NormalizeFrom accepts); ErrNotFound if there is none.
func (s *Service) Delete(ctx context.Context, actor account.Staff, from string) error {
	if !actor.Role.CanManage() {
		return ErrForbidden
	}
	key, err := NormalizeFrom(from)
	if err != nil {
		return err
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		to, err := s.store.RedirectTarget(ctx, key)
		if err != nil {
			return err
		}
		if err := s.store.DeleteRedirect(ctx, key); err != nil {
			return err
		}
		return s.write(ctx, actor, "redirect.delete", "redirect "+key+" → "+to+" deleted", Redirect{From: key, To: to})
	})
	if err != nil {
		return err
	}
	s.cache.Invalidate(cache.KeyAll)
	return nil
}

func (s *Service) write(ctx context.Context, actor account.Staff, action, summary string, r Redirect) error {
	if s.audit == nil {
		return nil
	}
	return s.audit.Write(ctx, actor, action, "redirect", 0, summary, nil, map[string]string{"from": r.From, "to": r.To})
}
