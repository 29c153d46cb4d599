package importer_test

import (
	"context"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/importer"
)

// blocking is a Source whose first pass waits until release is closed,
// then refuses its first record.
type blocking struct{ started, release chan struct{} }

func (b blocking) Name() string { return "test" }

func (b blocking) Scan(ctx context.Context, fn func(importer.Record) error) error {
	close(b.started)
	<-b.release
	return fn(&importer.Tag{SourceID: "1"}) // no name: refused
}

func TestJobs_oneAtATime(t *testing.T) {
	js := importer.NewJobs(context.Background(), nil, nil, nil, nil)
	src := blocking{started: make(chan struct{}), release: make(chan struct{})}
	cleaned := make(chan string, 3)
	admin := account.Staff{ID: 1, Name: "Ada", Role: account.Admin}
	first, err := js.Start(admin, src, "a.xml", false, func() { cleaned <- "a" })
	if err != nil {
		t.Fatal(err)
	}
	<-src.started
	if !js.Busy() {
		t.Error("not busy while an import runs")
	}
	if j, ok := js.Job(first.ID); !ok || !j.Running() || j.Phase != importer.PhaseChecking || j.By != "Ada" {
		t.Errorf("running job: %+v, %v", j, ok)
	}
	_, err = js.Start(admin, source{}, "b.xml", false, func() { cleaned <- "b" })
	if err != importer.ErrBusy {
		t.Errorf("second start: %v, want ErrBusy", err)
	}
	if got := <-cleaned; got != "b" {
		t.Errorf("the refused start's file was not cleaned up at once: %q", got)
	}
	close(src.release)
	js.Wait()
	if got := <-cleaned; got != "a" {
		t.Errorf("cleanup after the import: %q", got)
	}
	j, _ := js.Job(first.ID)
	if j.Running() || j.Refusal == nil || j.Refusal.Record != 1 || j.Report != nil {
		t.Errorf("finished job: %+v", j)
	}
	if js.Busy() {
		t.Error("still busy after the import ended")
	}
	if _, ok := js.Job("nope"); ok {
		t.Error("an unknown id found a job")
	}
	if r := js.Recent(); len(r) != 1 || r[0].ID != first.ID {
		t.Errorf("recent: %+v", r)
	}
}
