package cluster

import (
	"context"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"
)

// session is a connection of the broadcaster's own, with the channel of
// the site it serves.
type session struct {
	conn    *pgx.Conn
	channel string
}

// connect opens a session named app (its application_name).
func (b *Broadcaster) connect(ctx context.Context, app string) (*session, error) {
	cfg := b.pg.Copy()
	cfg.RuntimeParams["application_name"] = app
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("cluster: connect: %w", err)
	}
	var scope string
	if err := conn.QueryRow(ctx, scopeQuery).Scan(&scope); err != nil {
		closeConn(conn)
		return nil, fmt.Errorf("cluster: read the database's name: %w", err)
	}
	return &session{conn: conn, channel: channelName(scope)}, nil
}

// close ends the session; closing nil does nothing.
func (s *session) close() {
	if s != nil {
		closeConn(s.conn)
	}
}

func closeConn(c *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = c.Close(ctx)
}

// NOTIFY channels are database-wide, while a site lives in one schema of
// its database (the tests run many sites side by side, each in a schema
// of its own): the channel is named after the database and the schema, so
// that two sites never hear each other. scopeQuery is the store's (see
// store/lock.go), so that an operator can tell both apart by the same
// name.
const scopeQuery = `SELECT current_database() || '/' || coalesce(current_schema(), current_setting('search_path'))`

// channelName is the channel of the site in scope. It is an identifier
// of lower-case letters, digits and an underscore, well under the 63
// bytes PostgreSQL allows.
func channelName(scope string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte("broadsheet\x00invalidate\x00" + scope))
	return "broadsheet_invalidate_" + hex.EncodeToString(h.Sum(nil))
}
