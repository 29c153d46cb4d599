package export_test

import (
	"context"
	"testing"
	"time"

	"broadsheet/internal/export"
	"broadsheet/internal/store/storetest"
)

// TestLoad_afterFirstStart loads an export into a database a site has
// already started on and served from (it writes settings of its own):
// that database still counts as empty.
func TestLoad_afterFirstStart(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		src := exportOf(t, smallPaper(t, e))
		target := newPaper(t, e)
		ts := site(t, target, time.Now())
		fetch(t, ts.URL, "/")
		fetch(t, ts.URL, "/newsroom/login")
		if _, err := export.Load(context.Background(), target.db, target.files(), src); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		if got, err := target.db.Settings(context.Background()); err != nil || got["site_name"] != "The Small Paper" {
			t.Errorf("%s: site name %q (%v), want the export's", e.Name, got["site_name"], err)
		}
	}
}
