package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Staff passwords are hashed with argon2id and stored in the PHC string
// format, $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, so that the
// parameters travel with each hash and can be raised later: NeedsRehash
// tells the login to store a fresh hash once the password is known again.

// Argon2Params are the cost parameters of a password hash.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// PasswordParams are OWASP's recommended minimum for argon2id (19 MiB,
// two passes, one thread), which keeps a login near 30 ms on one core.
var PasswordParams = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Password rules.
const (
	MinPasswordChars = 12
	MaxPasswordBytes = 1024
)

// Errors of staff accounts and their logins.
var (
	ErrNoStaff     = errors.New("no such staff member")
	ErrStaffExists = errors.New("a staff member with this email already exists")
)

// ErrWeakPassword wraps every way a new password breaks the rules.
var ErrWeakPassword = errors.New("password does not meet the rules")

// CheckPassword applies the rules to a new password: at least 12
// characters, at most 1,024 bytes, valid text, not only spaces. There is
// no rule about character classes: length is what makes a password hard
// to guess, and such rules push people to predictable patterns.
func CheckPassword(pw string) error {
	switch {
	case len(pw) > MaxPasswordBytes:
		return fmt.Errorf("%w: it is longer than %d bytes", ErrWeakPassword, MaxPasswordBytes)
	case !utf8.ValidString(pw):
		return fmt.Errorf("%w: it is not valid UTF-8 text", ErrWeakPassword)
	case utf8.RuneCountInString(pw) < MinPasswordChars:
		return fmt.Errorf("%w: it must be at least %d characters long", ErrWeakPassword, MinPasswordChars)
	case strings.TrimFunc(pw, unicode.IsSpace) == "":
		return fmt.Errorf("%w: it is only spaces", ErrWeakPassword)
	case strings.ContainsFunc(pw, unicode.IsControl):
		return fmt.Errorf("%w: it contains control characters", ErrWeakPassword)
	}
	return nil
}

// HashPassword hashes a password with PasswordParams and a random salt.
// It does not apply the rules: call CheckPassword first.
func HashPassword(pw string) (string, error) {
	return hashWith(pw, PasswordParams)
}

func hashWith(pw string, p Argon2Params) (string, error) {
	if len(pw) > MaxPasswordBytes {
		return "", fmt.Errorf("account: hash password: %w", ErrWeakPassword)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("account: hash password: %w", err)
	}
	key := argon2.IDKey(passwordBytes(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// passwordBytes normalises a password to NFKC before hashing (as NIST SP
// 800-63B advises), so that the same Hangul or accented letters typed on
// systems that compose them differently still match.
func passwordBytes(pw string) []byte { return []byte(norm.NFKC.String(pw)) }

// b64 is the PHC format's base64: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// ErrBadHash is a stored hash that is not an argon2id PHC string we can
// check, such as one damaged or written by other software.
var ErrBadHash = errors.New("password hash is malformed")

// VerifyPassword reports whether pw matches the stored hash, comparing in
// constant time. A malformed hash is an error, never a panic and never a
// match; an empty hash (no password set) never matches.
func VerifyPassword(encoded, pw string) (bool, error) {
	if encoded == "" || len(pw) > MaxPasswordBytes {
		return false, nil
	}
	p, salt, want, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey(passwordBytes(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// NeedsRehash reports whether a stored hash was made with parameters
// other than PasswordParams (or cannot be read), so the login should
// store a new hash of the password it just verified.
func NeedsRehash(encoded string) bool {
	p, salt, _, err := decodeHash(encoded)
	if err != nil {
		return true
	}
	return p.Memory != PasswordParams.Memory || p.Time != PasswordParams.Time ||
		p.Threads != PasswordParams.Threads || uint32(len(salt)) != PasswordParams.SaltLen ||
		p.KeyLen != PasswordParams.KeyLen
}

// Bounds on the parameters read from a stored hash: a tampered row must
// not make a login allocate gigabytes or spin for minutes.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 64
	minBytes     = 8
	maxBytes     = 1024
)

func decodeHash(encoded string) (p Argon2Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrBadHash
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", ErrBadHash, parts[2])
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return p, nil, nil, ErrBadHash
	}
	m, errM := paramValue(params[0], "m=", maxMemoryKiB)
	t, errT := paramValue(params[1], "t=", maxTime)
	th, errP := paramValue(params[2], "p=", 255)
	if errM != nil || errT != nil || errP != nil || m < 8*th {
		return p, nil, nil, fmt.Errorf("%w: bad parameters %q", ErrBadHash, parts[3])
	}
	salt, errS := b64.Strict().DecodeString(parts[4])
	key, errK := b64.Strict().DecodeString(parts[5])
	if errS != nil || errK != nil || len(salt) < minBytes || len(salt) > maxBytes || len(key) < minBytes || len(key) > maxBytes {
		return p, nil, nil, fmt.Errorf("%w: bad salt or hash", ErrBadHash)
	}
	p = Argon2Params{Memory: m, Time: t, Threads: uint8(th), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	return p, salt, key, nil
}

// paramValue reads "k=N" with 1 ≤ N ≤ max.
func paramValue(s, prefix string, max uint32) (uint32, error) {
	v, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return 0, ErrBadHash
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n < 1 || n > uint64(max) || strconv.FormatUint(n, 10) != v {
		return 0, ErrBadHash
	}
	return uint32(n), nil
}
