package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrations embed.FS

// Migrate applies pending migrations, each in its own transaction, and
// records the version in goose's table. On PostgreSQL it first waits for
// the site's migration lock (see lock.go): instances started together on
// an empty or an old database migrate one after the other, the later ones
// finding nothing left to do, instead of racing to create the same tables.
func (db *DB) Migrate(ctx context.Context) error {
	var opts []goose.ProviderOption
	if db.d.name == postgresDialect.name {
		opts = append(opts, goose.WithSessionLocker(&advisoryLock{purpose: LockMigrate}))
	}
	p, err := db.migrator(opts...)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate %s: %w", db.d.name, err)
	}
	return nil
}

// SchemaVersion is the newest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := db.migrator()
	if err != nil {
		return 0, err
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}

func (db *DB) migrator(opts ...goose.ProviderOption) (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, db.d.migrations)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	p, err := goose.NewProvider(db.d.goose, db.sql, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}
