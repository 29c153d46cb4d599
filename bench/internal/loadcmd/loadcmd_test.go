package loadcmd

import "testing"

func TestLocalBase(t *testing.T) {
	for _, tt := range []struct {
		raw, want string
		ok        bool
	}{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080", true},
		{"http://localhost:9000", "http://localhost:9000", true},
		{"http://[::1]:8080", "http://[::1]:8080", true},
		{"http://192.0.2.10:8080", "", false},
		{"http://paper.example", "", false},
		{"https://127.0.0.1:8080", "", false},
		{"http://127.0.0.1:8080/news", "", false},
		{"127.0.0.1:8080", "", false},
	} {
		got, err := LocalBase(tt.raw)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("LocalBase(%q) = %q, %v; want %q, ok %v", tt.raw, got, err, tt.want, tt.ok)
		}
	}
}
