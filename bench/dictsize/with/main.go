// Command with is a tiny program that uses the dictionary: bench/dictionary.sh
// compares its size with bench/dictsize/without, which is the same program
// without the dictionary, and times its start (decode the data, look up one
// word).
package main

import (
	"fmt"
	"os"
	"time"

	"broadsheet/internal/dictionary"
)

func main() {
	start := time.Now()
	d, err := dictionary.Default()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	loaded := time.Since(start)
	r, ok := d.Lookup("signals")
	fmt.Printf("lookup signals: %v %s; load %v, load and look-up %v\n", ok, r.Lemma, loaded, time.Since(start))
}
