package article

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestRenderMarkdown_golden renders each testdata/markdown/*.md and
// compares it with the .html beside it; go test -update rewrites them
// after a deliberate change.
func TestRenderMarkdown_golden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/markdown/*.md")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range inputs {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := RenderMarkdown(string(src))
		if err != nil {
			t.Fatal(err)
		}
		golden := strings.TrimSuffix(in, ".md") + ".html"
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s renders differently from %s:\ngot:\n%s\nwant:\n%s", in, golden, got, want)
		}
		if bad := unsafeMarkup(got); bad != "" {
			t.Errorf("%s: unsafe output: %s", in, bad)
		}
	}
}
