package request

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientIPBehind(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}
	tests := []struct {
		name, peer, xff, want string
	}{
		{"direct, header ignored", "203.0.113.9:5000", "198.51.100.1", "203.0.113.9"},
		{"one trusted proxy", "10.0.0.2:80", "198.51.100.1", "198.51.100.1"},
		{"spoofed left part skipped", "10.0.0.2:80", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
		{"two trusted proxies", "127.0.0.1:80", "198.51.100.1, 10.0.0.7", "198.51.100.1"},
		{"malformed chain", "10.0.0.2:80", "198.51.100.1, not-an-ip", "10.0.0.2"},
		{"no header", "10.0.0.2:80", "", "10.0.0.2"},
		{"ipv6 client", "10.0.0.2:80", "2001:db8::1", "2001:db8::1"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.peer
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := ClientIPBehind(r, trusted); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}
