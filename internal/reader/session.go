package reader

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// Session is a signed-in browser: a reader's or a staff member's. Only a
// hash of its cookie value is stored, so a copy of the database cannot be
// used to sign in.
type Session struct {
	TokenHash string
	ReaderID  int64 // one of ReaderID and StaffID is set
	StaffID   int64
	CSRF      string // sent back by forms and by JavaScript in X-CSRF-Token
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SessionTTL is how long a session lasts without signing in again.
const SessionTTL = 30 * 24 * time.Hour

// NewSession makes a session and the cookie value that proves it.
func NewSession(now time.Time) (cookie string, s Session) {
	cookie = randomToken()
	return cookie, Session{TokenHash: HashToken(cookie), CSRF: randomToken(), CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
}

// HashToken is the stored form of a session cookie.
func HashToken(cookie string) string {
	sum := sha256.Sum256([]byte(cookie))
	return hex.EncodeToString(sum[:])
}

// CheckCSRF compares a submitted token with the session's in constant time.
func (s Session) CheckCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) == 1
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
