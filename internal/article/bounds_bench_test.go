package article

import (
	"strings"
	"testing"
)

// worstAccepted are bodies of MaxBody bytes at the edge of each limit of
// checkShape, in the shapes that cost goldmark most per byte, with plain
// prose to compare them with.
func worstAccepted() map[string]string {
	rep := strings.Repeat
	fill := func(unit string) string { return rep(unit, MaxBody/len(unit)) }
	return map[string]string{
		"prose":             fill("The council voted on the budget. "),
		"flat list":         fill("- x\n"),
		"nested lists":      fill(rep("- ", MaxNesting) + "x\n"),
		"quotes and lists":  fill(rep("> - ", MaxNesting/2) + "x\n"),
		"unpaired emphasis": fill(rep("a*b_c~", 20) + "\n\n"),
		"nested brackets":   fill(rep("[", 40) + rep("]", 40) + "\n\n"),
		"open images":       fill(rep("![a](", 30) + "\n\n"),
		"figures":           fill("![a](/media/u/0a1b/960.jpg \"c | d\")\n\n"),
		"table":             rep("|a", MaxTableColumns) + "|\n" + rep("|-", MaxTableColumns) + "|\n" + rep("x\n", MaxTableCells/MaxTableColumns-2),
	}
}

// BenchmarkRenderMarkdown_worstAccepted renders each body CheckMarkdown
// lets through at its limits; the slowest is the worst case a save or a
// preview can cost.
func BenchmarkRenderMarkdown_worstAccepted(b *testing.B) {
	for name, src := range worstAccepted() {
		b.Run(name, func(b *testing.B) {
			if err := CheckMarkdown(src); err != nil {
				b.Fatalf("refused: %v", err)
			}
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := RenderMarkdown(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
