// Package e2e holds the browser end-to-end tests of the reader site.
//
// The tests build the real broadsheet binary, serve the demo content on a
// loopback port and drive Debian's chromium through chromedp, clicking and
// pressing keys as a reader would. Screenshots go to test-output/e2e/ at the
// module root, which git ignores.
//
// Run them with:
//
//	go test -race -count=1 ./e2e/
//
// Without chromium the tests are skipped with one line, except when CI=true,
// where a missing browser is a failure.
package e2e
