// Command memserver is the baseline for bench/pagecache.sh: a minimal Go
// net/http server that answers every request with one file's bytes, read
// into memory at start. It sets Content-Type and writes the bytes; nothing
// else (no validators, no compression, no logging).
//
//	go run ./bench/memserver -addr 127.0.0.1:8082 -file article.html
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8082", "listen address")
	file := flag.String("file", "", "file whose bytes every response carries (required)")
	withLength := flag.Bool("content-length", false, "also set Content-Length (otherwise net/http chunks bodies over 4 KB)")
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
	contentType := []string{"text/html; charset=utf-8"}
	length := []string{strconv.Itoa(len(body))}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = contentType
		if *withLength {
			w.Header()["Content-Length"] = length
		}
		_, _ = w.Write(body)
	})
	if err := http.ListenAndServe(*addr, h); err != nil {
		fmt.Fprintln(os.Stderr, "memserver:", err)
		os.Exit(1)
	}
}
