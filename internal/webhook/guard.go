package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
)

// Hooks are requests this server makes to an address someone typed, so
// they must not reach what only this server can: its own loopback, the
// private network behind it, a cloud's metadata service on a link-local
// address. The address is checked when a hook is registered, for a clear
// refusal, and again by the dialer at every connection, since the name
// may resolve elsewhere by then.

// reserved are ranges no public service lives in that the standard
// library's checks leave out: "this network" (0/8, which Linux routes to
// the host itself), carrier-grade NAT, IETF protocol assignments,
// benchmarking, the reserved class E, and NAT64, which reaches IPv4
// addresses, private ones included, through an IPv6 prefix.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"), netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// refused reports why ip may not be reached, or "" when it may.
func refused(ip netip.Addr) string {
	ip = ip.Unmap()
	for _, p := range reserved {
		if p.Contains(ip) {
			return "reserved"
		}
	}
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "multicast"
	}
	return ""
}

// checkURL says what is wrong with a hook's address, or "" when nothing
// is. resolve may be nil for the system's resolver.
func checkURL(ctx context.Context, raw string, allowPrivate bool, resolve func(ctx context.Context, host string) ([]string, error)) string {
	if raw == "" {
		return "give the address to send events to"
	}
	if len(raw) > maxURL {
		return fmt.Sprintf("must be at most %d characters", maxURL)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return "must be an http:// or https:// address"
	}
	if u.User != nil {
		return "must not carry a user name or password; the signature authenticates deliveries"
	}
	if allowPrivate {
		return ""
	}
	host := u.Hostname()
	var addrs []string
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = []string{ip.String()}
	} else {
		if resolve == nil {
			resolve = net.DefaultResolver.LookupHost
		}
		if addrs, err = resolve(ctx, host); err != nil || len(addrs) == 0 {
			return fmt.Sprintf("the host %q does not resolve", host)
		}
	}
	for _, a := range addrs {
		ip, err := netip.ParseAddr(a)
		if err != nil {
			return fmt.Sprintf("the host %q resolves to an address that cannot be read", host)
		}
		if why := refused(ip); why != "" {
			return fmt.Sprintf("the host %q is a %s address (%s); webhooks are sent only to public addresses", host, why, ip)
		}
	}
	return ""
}

// errRefusedAddress is a connection the dialer would not make.
var errRefusedAddress = errors.New("webhook: refused to connect to a non-public address")

// dialControl refuses, at connect time, an address checkURL would refuse:
// it sees the address the name resolved to for this very connection.
func dialControl(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %s", errRefusedAddress, address)
	}
	if why := refused(ip); why != "" {
		return fmt.Errorf("%w: %s is %s", errRefusedAddress, ip, why)
	}
	return nil
}
