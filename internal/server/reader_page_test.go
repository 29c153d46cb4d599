package server_test

import (
	"testing"

	"broadsheet/internal/store/storetest"
)

// A reader's public page for a reader who never existed, or has gone,
// is a 404 like any missing page, not a server error.
func TestReaderPage_unknownReaderIsNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		for _, path := range []string{"/reader/987654", "/reader/0", "/reader/x"} {
			if res, _ := ts.get(t, path); res.StatusCode != 404 {
				t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
			}
		}
	})
}
