package section

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTree(t *testing.T) {
	tree := NewTree([]Section{
		{ID: 1, Slug: "national", Path: "national", Name: "National"},
		{ID: 2, ParentID: 1, Slug: "politics", Path: "national/politics", Name: "Politics"},
		{ID: 3, ParentID: 2, Slug: "assembly", Path: "national/politics/assembly", Name: "Assembly"},
		{ID: 4, Slug: "sports", Path: "sports", Name: "Sports"},
	})
	var chain []string
	for _, s := range tree.Chain(3) {
		chain = append(chain, s.Name)
	}
	if diff := cmp.Diff([]string{"National", "Politics", "Assembly"}, chain); diff != "" {
		t.Errorf("Chain (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{1, 2, 3}, tree.Subtree(1)); diff != "" {
		t.Errorf("Subtree (-want +got):\n%s", diff)
	}
	if top := tree.Top(); len(top) != 2 || top[1].Slug != "sports" {
		t.Errorf("Top = %+v", top)
	}
	if s, ok := tree.ByPath("national/politics"); !ok || s.ParentPath() != "national" {
		t.Errorf("ByPath = %+v, %v", s, ok)
	}
	if len(tree.Chain(99)) != 0 {
		t.Error("Chain of an unknown id is not empty")
	}
	// A corrupt tree with a cycle must not loop for ever.
	loop := NewTree([]Section{{ID: 1, ParentID: 2, Path: "a"}, {ID: 2, ParentID: 1, Path: "b"}})
	if n := len(loop.Chain(1)); n > 3 {
		t.Errorf("Chain on a cycle has %d steps", n)
	}
	if n := len(loop.Subtree(1)); n != 2 {
		t.Errorf("Subtree on a cycle has %d ids, want 2", n)
	}
}
