package article

import (
	"errors"
	"testing"
	"time"
)

// A render that cannot get its turn gives up after RenderWait instead of
// holding its request for as long as a flood of previews takes to drain;
// once a turn is free, rendering works again.
func TestRenderMarkdown_givesUpWaitingForATurn(t *testing.T) {
	defer func(w time.Duration) { RenderWait = w }(RenderWait)
	RenderWait = 20 * time.Millisecond
	for range cap(renders) { // every turn taken, as by long renders
		renders <- struct{}{}
	}
	_, err := RenderMarkdown("A *short* body.")
	for range cap(renders) {
		<-renders
	}
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("render with every turn taken: %v, want ErrBusy", err)
	}
	if html, err := RenderMarkdown("A *short* body."); err != nil || html != "<p>A <em>short</em> body.</p>\n" {
		t.Errorf("render with a turn free: %q, %v", html, err)
	}
}
