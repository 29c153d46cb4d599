package main

import (
	"flag"
	"io"
	"os"

	"golang.org/x/term"

	"broadsheet/internal/config"
)

// isTerminal reports whether w is a terminal, that is, whether a person
// is probably reading what the program writes there.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// logFormat is the log format to use: the operator's choice when they
// made one (--log-format or BROADSHEET_LOG_FORMAT); otherwise text for a
// person at a terminal, and chosen (JSON by default) for a service,
// whose output a log collector parses.
func logFormat(chosen string, explicit, terminal bool) string {
	if explicit || !terminal {
		return chosen
	}
	return "text"
}

// flagGiven reports whether the flag name was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	if fs != nil {
		fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	}
	return given
}

// servingLine tells a person where the site is, at the address actually
// bound (a port chosen by the system included).
func servingLine(addr string, demo bool) string {
	line := "Broadsheet is serving " + config.OriginFor(addr) + "/"
	if demo {
		line += " (demo paper loaded)"
	}
	return line
}
