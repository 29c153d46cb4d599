package web

import (
	"testing"

	"broadsheet/internal/dictionary"
)

// TestWordLists_keyedByTheBody checks that a body's list is kept and that
// another body, such as the preview's unsaved text of the same article
// version, gets its own.
func TestWordLists_keyedByTheBody(t *testing.T) {
	d, err := dictionary.Default()
	if err != nil {
		t.Fatal(err)
	}
	saved := `<p>The embankment was repaired before the monsoon.</p>`
	edited := `<p>The cartographer redrew the peninsula's coastline.</p>`
	first := wordLists.get(d, saved)
	if len(first) == 0 || first[0].Lemma != "embankment" {
		t.Fatalf("saved body: %+v, want embankment first", first)
	}
	if again := wordLists.get(d, saved); &again[0] != &first[0] {
		t.Error("the same body was chosen again instead of kept")
	}
	if other := wordLists.get(d, edited); len(other) == 0 || other[0].Lemma == "embankment" {
		t.Errorf("edited body: %+v, want its own words", other)
	}
}
