package request

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

const clientIPKey contextKey = iota + 100

// WithClientIP returns ctx carrying the client address that ClientIP
// reports, as worked out by middleware.ClientIP.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey, ip)
}

// ClientIP is the address the request came from: the one the middleware
// found behind trusted proxies, or else the connection's peer.
func ClientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey).(string); ok && ip != "" {
		return ip
	}
	return peer(r)
}

func peer(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ClientIPBehind works out the client's address when the request may have
// come through proxies we trust. X-Forwarded-For is read from the right:
// each trusted proxy appends the address it received from, so the first
// address from the right that is not a trusted proxy is the client. A
// header from an untrusted peer is ignored entirely, since anyone can send
// one.
func ClientIPBehind(r *http.Request, trusted []netip.Prefix) string {
	p := peer(r)
	if !isTrusted(p, trusted) {
		return p
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		addr, err := netip.ParseAddr(hop)
		if err != nil {
			return p // a malformed chain: trust nothing beyond our proxy
		}
		if !isTrusted(hop, trusted) {
			return addr.Unmap().String()
		}
	}
	return p
}

func isTrusted(ip string, trusted []netip.Prefix) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, pfx := range trusted {
		if pfx.Contains(addr) {
			return true
		}
	}
	return false
}
