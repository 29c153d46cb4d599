// Command memserver is the baseline for bench/pagecache.sh: a minimal Go
// net/http server that answers every request with one file's bytes, read
// into memory at start. It sets Content-Type and writes the bytes; nothing
// else (no validators, no compression, no logging).
//
// With -headers it also sends every header of a saved response (curl -D
// output: the headers Broadsheet sends with the same page), so that the
// baseline writes the same bytes on the wire, not only the same body.
//
//	go run ./bench/memserver -addr 127.0.0.1:8082 -file article.html
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8082", "listen address")
	file := flag.String("file", "", "file whose bytes every response carries (required)")
	withLength := flag.Bool("content-length", false, "also set Content-Length (otherwise net/http chunks bodies over 4 KB)")
	headerFile := flag.String("headers", "", "file of a saved response's headers (curl -D) to send with every response; implies -content-length")
	flag.Parse()
	if *file == "" {
		fmt.Fprintln(os.Stderr, "memserver: -file is required")
		os.Exit(2)
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "memserver:", err)
		os.Exit(1)
	}
	fixed := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	if *withLength || *headerFile != "" {
		fixed["Content-Length"] = []string{strconv.Itoa(len(body))}
	}
	if *headerFile != "" {
		saved, err := os.ReadFile(*headerFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "memserver:", err)
			os.Exit(1)
		}
		for _, line := range strings.Split(string(saved), "\n") {
			name, value, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
			if !ok || strings.HasPrefix(name, "HTTP/") {
				continue
			}
			name = http.CanonicalHeaderKey(strings.TrimSpace(name))
			switch name {
			case "Date", "Content-Length", "Transfer-Encoding", "Connection":
				continue // net/http writes these itself
			}
			fixed[name] = append(fixed[name], strings.TrimSpace(value))
		}
	}
	// The values are set once; a response only points at them, as
	// Broadsheet's cached pages do with their prepared headers.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		for k, v := range fixed {
			hdr[k] = v
		}
		_, _ = w.Write(body)
	})
	if err := http.ListenAndServe(*addr, h); err != nil {
		fmt.Fprintln(os.Stderr, "memserver:", err)
		os.Exit(1)
	}
}
