package account

import (
	"errors"
	"strings"
	"testing"
)

func TestHashPassword_verifiesOnlyTheSamePassword(t *testing.T) {
	const pw = "correct horse battery staple"
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not in the PHC format with OWASP's parameters", h)
	}
	if ok, err := VerifyPassword(h, pw); !ok || err != nil {
		t.Errorf("VerifyPassword(right) = %v, %v; want true", ok, err)
	}
	for _, wrong := range []string{"correct horse battery stapl", "Correct horse battery staple", "", pw + " "} {
		if ok, err := VerifyPassword(h, wrong); ok || err != nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want false, nil", wrong, ok, err)
		}
	}
	if again, _ := HashPassword(pw); again == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyPassword_normalisesUnicode(t *testing.T) {
	composed := "비밀번호는열두글자이상입니다" // precomposed Hangul syllables
	decomposed := "\u1107\u1175\u1106\u1175\u11af\u1107\u1165\u11ab\u1112\u1169\u1102\u1173\u11ab\u110b\u1167\u11af\u1103\u116e\u1100\u1173\u11af\u110c\u1161\u110b\u1175\u1109\u1161\u11bc\u110b\u1175\u11b8\u1102\u1175\u1103\u1161"
	h, err := HashPassword(composed)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := VerifyPassword(h, decomposed); !ok {
		t.Error("the same Hangul password typed as jamo does not match")
	}
}

func TestVerifyPassword_tamperedAndMalformedHashesNeverMatchOrPanic(t *testing.T) {
	const pw = "a long enough password"
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(h, "$")
	flipLast := func(s string) string {
		c := s[len(s)-2]
		if c == 'A' {
			c = 'B'
		} else {
			c = 'A'
		}
		return s[:len(s)-2] + string(c) + s[len(s)-1:]
	}
	tampered := map[string]string{
		"hash changed":   strings.Join(append(parts[:5:5], flipLast(parts[5])), "$"),
		"salt changed":   strings.Join([]string{"", parts[1], parts[2], parts[3], flipLast(parts[4]), parts[5]}, "$"),
		"cost lowered":   strings.Replace(h, "t=2", "t=1", 1),
		"memory changed": strings.Replace(h, "m=19456", "m=19457", 1),
	}
	for name, bad := range tampered {
		if ok, _ := VerifyPassword(bad, pw); ok {
			t.Errorf("%s: a tampered hash matched", name)
		}
	}
	malformed := []string{
		"x", "$", "$$$$$", "$argon2i$v=19$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=16$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=0,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=2,p=0$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=0,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=99999999999,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=9999,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=2,p=300$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=2$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$t=2,m=19456,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=+19456,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=2,p=1$!!!$" + parts[5],
		"$argon2id$v=19$m=19456,t=2,p=1$" + parts[4] + "$",
		"$argon2id$v=19$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5] + "=",
		"$argon2id$v=19$m=19456,t=2,p=1$QUFB$" + parts[5],
		h + "$extra",
	}
	for _, bad := range malformed {
		ok, err := VerifyPassword(bad, pw)
		if ok || !errors.Is(err, ErrBadHash) {
			t.Errorf("VerifyPassword(%q) = %v, %v; want false, ErrBadHash", bad, ok, err)
		}
		if !NeedsRehash(bad) {
			t.Errorf("NeedsRehash(%q) = false for an unreadable hash", bad)
		}
	}
	if ok, err := VerifyPassword("", pw); ok || err != nil {
		t.Errorf("empty hash (no password set): %v, %v; want false, nil", ok, err)
	}
}

func FuzzVerifyPassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "pw")
	f.Add("$argon2id$v=19$m=8,t=1,p=255$c2FsdHNhbHQ$aGFzaGhhc2g", "")
	f.Fuzz(func(t *testing.T, encoded, pw string) {
		// Keep the fuzzer from spending its time on legitimately slow hashes.
		if p, _, _, err := decodeHash(encoded); err == nil && uint64(p.Memory)*uint64(p.Time) > 1<<12 {
			t.Skip()
		}
		_, _ = VerifyPassword(encoded, pw) // must not panic
		_ = NeedsRehash(encoded)
	})
}

func TestNeedsRehash_whenParametersChange(t *testing.T) {
	h, err := HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if NeedsRehash(h) {
		t.Error("a hash made with the current parameters needs rehashing")
	}
	old, err := hashWith("a long enough password", Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := VerifyPassword(old, "a long enough password"); !ok || err != nil {
		t.Fatalf("a hash with older parameters no longer verifies: %v, %v", ok, err)
	}
	if !NeedsRehash(old) {
		t.Error("a hash with weaker parameters does not need rehashing")
	}
}

func TestCheckPassword(t *testing.T) {
	good := []string{"twelve chars", "열두글자비밀번호입니다만세", strings.Repeat("x", MaxPasswordBytes), "  spaces around  "}
	for _, pw := range good {
		if err := CheckPassword(pw); err != nil {
			t.Errorf("CheckPassword(%q) = %v, want accepted", pw, err)
		}
	}
	bad := []string{"", "eleven char", strings.Repeat(" ", 20), strings.Repeat("\u3000", 12), strings.Repeat("x", MaxPasswordBytes+1),
		"invalid utf8 \xff\xfe here", "tab\tin the middle"}
	for _, pw := range bad {
		if err := CheckPassword(pw); !errors.Is(err, ErrWeakPassword) {
			t.Errorf("CheckPassword(%.20q) = %v, want ErrWeakPassword", pw, err)
		}
	}
}
