// Package loadcmd holds what the load clients of the bench scripts
// (bench/commentload, bench/stampedeload) share: how the command starts
// and stops, and the rule that a load client only ever targets a server
// on this machine.
package loadcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"syscall"
)

// Run is a load client's body: it parses args and writes its results to
// stdout and its messages to stderr.
type Run func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// Main runs run with the command line and a context cancelled by Ctrl-C or
// SIGTERM (a bench script stopping its client), and exits with status 1
// when it fails, printing the error after name (-help has printed enough).
func Main(name string, run Run) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, name+":", err)
		}
		os.Exit(1)
	}
}

// LocalBase checks the -url of a load client, http://127.0.0.1:PORT (or
// localhost, or another loopback address), and returns it without a
// trailing slash. Anything else is refused: a load test aimed at a real
// site by mistake would be an attack on it.
func LocalBase(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Path != "" && u.Path != "/" {
		return "", fmt.Errorf("-url %q: want http://127.0.0.1:PORT", raw)
	}
	if h := u.Hostname(); h != "localhost" && !net.ParseIP(h).IsLoopback() {
		return "", fmt.Errorf("-url %q: this load test only targets 127.0.0.1", raw)
	}
	return "http://" + u.Host, nil
}
