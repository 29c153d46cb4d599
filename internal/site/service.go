package site

import (
	"context"
	"errors"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
	"broadsheet/internal/cache"
)

// Store is what the service needs from storage; InTx joins every call
// made with its context into one transaction.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Settings(ctx context.Context) (map[string]string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// ErrForbidden refuses a change by anyone but an admin.
var ErrForbidden = errors.New("only admins change the site settings")

// Service changes the site settings for both doors (the JSON API and
// the newsroom's settings page): one validation, one permission check,
// one audit entry in the change's transaction.
type Service struct {
	store   Store
	log     *audit.Log
	cache   cache.Invalidator
	changed func()
}

// NewService builds a Service; log and inv may be nil. changed, if not
// nil, runs after a change is committed (the comment service reads the
// settings again at once).
func NewService(store Store, log *audit.Log, inv cache.Invalidator, changed func()) *Service {
	return &Service{store: store, log: log, cache: cache.OrNop(inv), changed: changed}
}

// Change applies the given values (nil: keep) and stores them; a bad
// value is a ValidationError and nothing is stored. Every page of the
// reader site shows the settings, so every cached page is dropped.
func (s *Service) Change(ctx context.Context, actor account.Staff, name, locale, timeZone *string) (Settings, error) {
	if actor.Role != account.Admin {
		return Settings{}, ErrForbidden
	}
	var after Settings
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		m, err := s.store.Settings(ctx)
		if err != nil {
			return err
		}
		before := FromMap(m)
		if after, err = before.Change(name, locale, timeZone); err != nil {
			return err
		}
		for k, v := range after.Map() {
			if err := s.store.SetSetting(ctx, k, v); err != nil {
				return err
			}
		}
		return s.log.Write(ctx, actor, "settings.update", "settings", 0, after.Name, before.Map(), after.Map())
	})
	if err != nil {
		return Settings{}, err
	}
	s.cache.Invalidate(cache.KeySettings)
	if s.changed != nil {
		s.changed()
	}
	return after, nil
}
