package ghost

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"broadsheet/internal/importer"
)

// FuzzScan checks that no file makes Scan panic, and that a refusal is
// an *importer.Error.
func FuzzScan(f *testing.F) {
	for _, name := range []string{"ghost-2.json", "ghost-4.json", "ghost-5.json", "malformed/syntax.json", "malformed/bad-mobiledoc.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	path := filepath.Join(f.TempDir(), "export.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(path, "")
		if err != nil {
			t.Fatal(err)
		}
		err = s.Scan(context.Background(), func(importer.Record) error { return nil })
		var ie *importer.Error
		if err != nil && !errors.As(err, &ie) {
			t.Errorf("got %v, want nil or an *importer.Error", err)
		}
	})
}

// FuzzRender checks that no editor document makes a renderer panic.
func FuzzRender(f *testing.F) {
	f.Add(`{"markups":[["a",["href","x"]]],"atoms":[["soft-return","",{}]],"cards":[["image",{"src":"a"}]],"sections":[[1,"p",[[0,[0],1,"a"],[1,[],0,0]]],[10,0],[3,"ul",[[[0,[],0,"i"]]]]]}`)
	f.Add(`{"root":{"children":[{"type":"list","children":[{"type":"listitem","children":[{"type":"text","text":"x","format":3}]}]},{"type":"image","src":"a"}]}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		_, _ = renderMobiledoc(doc)
		_, _ = renderLexical(doc)
	})
}
