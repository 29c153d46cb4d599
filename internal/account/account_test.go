package account

import "testing"

func TestNormalizeEmail(t *testing.T) {
	good := map[string]string{"Kim.Minji@Paper.Example": "kim.minji@paper.example", " a+b@x.example ": "a+b@x.example"}
	for in, want := range good {
		if got, err := NormalizeEmail(in); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "x", "a@b", "Kim <k@paper.example>", "x?subject=hi&body=pwn@b.example", "a b@c.example", "\"q\"@b.example"} {
		if _, err := NormalizeEmail(bad); err == nil {
			t.Errorf("NormalizeEmail(%q) accepted", bad)
		}
	}
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{"admin": Admin, " Editor ": Editor, "reporter": Reporter} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseRole("king"); err == nil {
		t.Error("ParseRole(king) accepted")
	}
}
