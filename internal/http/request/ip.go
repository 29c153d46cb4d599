package request

import (
	"net"
	"net/http"
)

// ClientIP is the address the request came from. Forwarding headers are
// not trusted: anyone can send them, and the per-network comment limits
// would be trivial to dodge.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
