// Command without is bench/dictsize/with less the dictionary: the
// difference in size between the two is what the dictionary adds.
package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	start := time.Now()
	if len(os.Args) > 5 {
		os.Exit(1)
	}
	fmt.Printf("lookup signals: %v %s; load %v, load and look-up %v\n", false, "", time.Duration(0), time.Since(start))
}
