// Package account describes newsroom staff, their roles and their API
// tokens. Readers have no accounts here: they sign in through social login.
package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Role decides what a staff member may do.
type Role string

// The staff roles, from least to most powerful.
const (
	Reporter  Role = "reporter"
	Moderator Role = "moderator"
	Editor    Role = "editor"
	Admin     Role = "admin"
)

// ParseRole accepts a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case Reporter, Moderator, Editor, Admin:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (want admin, editor, moderator or reporter)", s)
}

// CanPublish reports whether the role may publish and unpublish articles
// and edit articles written by others.
func (r Role) CanPublish() bool { return r == Editor || r == Admin }

// CanModerate reports whether the role may moderate reader comments.
func (r Role) CanModerate() bool { return r == Moderator || r == Editor || r == Admin }

// CanManage reports whether the role may manage sections, authors and pages.
func (r Role) CanManage() bool { return r == Editor || r == Admin }

// CanWrite reports whether the role may write articles: moderators look
// after comments only.
func (r Role) CanWrite() bool { return r == Reporter || r == Editor || r == Admin }

// CanAdminister reports whether the role may change the site's settings
// and the staff's accounts.
func (r Role) CanAdminister() bool { return r == Admin }

// Staff is a member of the newsroom.
type Staff struct {
	ID        int64
	Email     string
	Name      string
	Role      Role
	CreatedAt time.Time
}

// Credentials are what a staff login checks, read together in one
// lookup so that every answer to a login costs the same work.
type Credentials struct {
	PasswordHash string // "" when no password has been set
	Disabled     bool   // switched off by an admin
	TOTPSecret   string // "" when the second factor is off
}

// Errors with meaning for callers.
var (
	ErrBadToken = errors.New("token is missing, unknown or revoked")
)

const tokenPrefix = "bst_"

// NewToken makes a random API token and the hash to store for it.
func NewToken() (plain, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("account: new token: %w", err)
	}
	plain = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain), nil
}

// HashToken is the stored form of a token. Tokens are long and random, so
// a fast hash is enough: there is nothing to guess, unlike a password.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// NormalizeEmail validates an address and lower-cases it. Beyond RFC 5322
// it allows only the characters real mailboxes use, because addresses end
// up in mailto: links, where "?" or "&" would add a subject or a body.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !plainAddress(s) {
		return "", fmt.Errorf("%q is not a valid email address", s)
	}
	return strings.ToLower(s), nil
}

func plainAddress(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || !strings.Contains(domain, ".") {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.ContainsRune(".-_+@", c):
		default:
			return false
		}
	}
	return true
}
