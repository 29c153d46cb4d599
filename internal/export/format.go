// Package export writes a whole paper to a folder of JSON files and
// loads such a folder into an empty database of either engine, keeping
// every id so that every address stays the same. docs/export.md
// describes the format.
package export

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Format and Version name the folder's format in its manifest.
const (
	Format  = "broadsheet-export"
	Version = 1
)

// ManifestFile is the manifest's name in the folder.
const ManifestFile = "manifest.json"

// MediaIndexFile lists the media files, one JSON object a line.
const MediaIndexFile = "media.jsonl"

// MaxLine is the longest line of a table file: one row, as JSON.
const MaxLine = 64 << 20

// Manifest describes an export: what made it, when, and every file
// with its checksum.
type Manifest struct {
	Format        string     `json:"format"`
	Version       int        `json:"version"`
	SchemaVersion int64      `json:"schema_version"`
	Engine        string     `json:"engine"`
	CreatedAt     time.Time  `json:"created_at"`
	Tables        []TableDoc `json:"tables"`
	Skipped       []Skipped  `json:"skipped,omitempty"`
	Media         MediaDoc   `json:"media"`
}

// TableDoc is one table's file.
type TableDoc struct {
	Name    string   `json:"name"`
	File    string   `json:"file"`
	Rows    int64    `json:"rows"`
	SHA256  string   `json:"sha256"`
	Columns []string `json:"columns"`
	// Omitted are columns of the table left out on purpose (secrets);
	// they take their defaults when loaded.
	Omitted []string `json:"omitted,omitempty"`
}

// Skipped is a table of the format that the exported database did not
// have.
type Skipped struct {
	Table  string `json:"table"`
	Reason string `json:"reason"`
}

// MediaDoc sums up the media folder and its index.
type MediaDoc struct {
	Index  string `json:"index"`
	SHA256 string `json:"sha256"` // of the index
	Files  int64  `json:"files"`
	Bytes  int64  `json:"bytes"`
	// Missing are files the database names that the media storage did
	// not have (at most maxMissing of them are listed).
	Missing      []string `json:"missing,omitempty"`
	MissingCount int64    `json:"missing_count,omitempty"`
}

// MediaEntry is one line of the media index.
type MediaEntry struct {
	Key    string `json:"key"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

const maxMissing = 50

// table is how one table is exported and loaded. The list is in load
// order: a table comes after every table it refers to.
type table struct {
	name  string
	order string // ORDER BY, so that files are stable and ids ascend
	where string // rows left out (secrets), or ""
	// omit are columns never written: secrets, and values that mean
	// nothing without one (hashes salted by a secret).
	omit []string
	// selfRef is a column naming another row of the same table (a parent),
	// which may come later in id order; it is filled in once the table is
	// loaded.
	selfRef string
	// fill gives values, on loading, to omitted columns that have no
	// default.
	fill map[string]func() any
	// set overrides columns on loading.
	set map[string]any
}

// tables is every table that an export carries. Adding one here is all
// it takes: a table the database does not have (an older schema) is
// skipped, with a note in the manifest. Tables not listed are either
// derived (search index, monthly counts, search words — rebuilt after
// loading), secrets (sessions, API tokens, password resets, login
// flows) or passing state (login failures, webhook deliveries).
var tables = []table{
	// The comment and login salts key the IP hashes; a new site makes its own.
	{name: "settings", order: "key", where: `key NOT LIKE '%!_salt' ESCAPE '!'`},
	// Staff come without passwords or second factors: each sets a
	// password again (broadsheet staff password, or an admin's reset link).
	{name: "staff", order: "id", omit: []string{"password_hash", "totp_secret", "totp_last_step"}},
	{name: "sections", order: "id", selfRef: "parent_id"},
	{name: "authors", order: "id"},
	{name: "tags", order: "id"},
	{name: "images", order: "id"},
	{name: "articles", order: "id"},
	{name: "article_authors", order: "article_id, author_id"},
	{name: "article_tags", order: "article_id, tag_id"},
	{name: "article_sections", order: "article_id, section_id"},
	{name: "article_slugs", order: "article_id, slug"},
	{name: "article_revisions", order: "id"},
	{name: "article_corrections", order: "id"},
	{name: "article_translations", order: "article_id"},
	// Related articles are chosen when an article is saved; they are
	// carried rather than chosen again, so pages stay the same.
	{name: "article_related", order: "article_id, related_id"},
	{name: "article_views", order: "article_id, hour"},
	{name: "top_stories", order: "article_id"},
	{name: "section_picks", order: "section_id, article_id"},
	{name: "pages", order: "id"},
	{name: "readers", order: "id"},
	{name: "comments", order: "id", selfRef: "parent_id", omit: []string{"ip_hash"}},
	{name: "comment_reactions", order: "comment_id, reader_id", omit: []string{"ip_hash"}},
	{name: "comment_reports", order: "comment_id, reader_id"},
	{name: "banned_words", order: "id"},
	{name: "moderation_log", order: "id"},
	{name: "audit_log", order: "id"},
	{name: "glossary", order: "id"},
	// A hook's secret is not carried: hooks arrive paused, with a new
	// secret nobody knows, to be registered again (docs/export.md).
	{name: "webhooks", order: "id", omit: []string{"secret"},
		fill: map[string]func() any{"secret": func() any { return "whsec_" + randomHex(24) }},
		set:  map[string]any{"active": int64(0)}},
	{name: "redirects", order: "from_path"},
	{name: "import_ids", order: "source, kind, source_id"},
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
