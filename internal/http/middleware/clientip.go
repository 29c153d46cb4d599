package middleware

import (
	"net/http"
	"net/netip"

	"broadsheet/internal/http/request"
)

// ClientIP records the client's address behind the trusted proxies, for
// request.ClientIP. With no trusted proxies it is the connection's peer
// and the middleware is not needed.
func ClientIP(trusted []netip.Prefix) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ip := request.ClientIPBehind(r, trusted)
			next.ServeHTTP(w, r.WithContext(request.WithClientIP(r.Context(), ip)))
		})
	}
}
