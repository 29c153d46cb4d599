package store

import (
	"strconv"
	"strings"
	"sync"

	"github.com/pressly/goose/v3"
)

// dialect names every difference between the two engines in one place.
// Almost all SQL is shared and written with ? placeholders.
type dialect struct {
	name       string // "sqlite" or "postgres"
	driver     string // database/sql driver name
	goose      goose.Dialect
	migrations string // folder under migrations/
	numbered   bool   // placeholders are $1, $2, … instead of ?

	rebound sync.Map // shared SQL → this engine's SQL
}

var (
	sqliteDialect = dialect{
		name: "sqlite", driver: "sqlite", goose: goose.DialectSQLite3,
		migrations: "migrations/sqlite",
	}
	postgresDialect = dialect{
		name: "postgres", driver: "pgx", goose: goose.DialectPostgres,
		migrations: "migrations/postgres", numbered: true,
	}
)

// q turns shared SQL into this engine's SQL. Results are memoised because
// the same few dozen statements run on every request.
func (d *dialect) q(query string) string {
	if !d.numbered {
		return query
	}
	if v, ok := d.rebound.Load(query); ok {
		return v.(string)
	}
	out := rebind(query)
	d.rebound.Store(query, out)
	return out
}

// rebind replaces each ? outside string literals with $1, $2, ….
func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, inString := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inString = !inString
		case c == '?' && !inString:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// placeholders is "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}
