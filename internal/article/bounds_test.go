package article

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// hostileBodies are bodies just past each limit, each of a shape that
// costs goldmark time growing with its square (or, for tables and
// reference links, HTML growing with it).
var hostileBodies = map[string]string{
	"block quotes":                  strings.Repeat(">", MaxNesting+1) + " x",
	"lists on one line":             strings.Repeat("- ", MaxNesting+1) + "x",
	"ordered lists":                 strings.Repeat("1. ", MaxNesting+1) + "x",
	"quotes and lists":              strings.Repeat("> * ", MaxNesting/2+1) + "x",
	"lists by indentation":          indentedList(MaxNesting + 2),
	"brackets":                      strings.Repeat("[", 8000),
	"open link addresses":           strings.Repeat("[a](<", 2000),
	"unpaired emphasis":             strings.Repeat("*a_\n", 3000),
	"link addresses on a long line": strings.Repeat("![a](", 1000) + strings.Repeat("x", 60000),
	"wide table":                    strings.Repeat("|a", MaxTableColumns+1) + "|\n" + strings.Repeat("|-", MaxTableColumns+1) + "|\n",
	"long table":                    strings.Repeat("|a", MaxTableColumns) + "|\n" + strings.Repeat("|-", MaxTableColumns) + "|\n" + strings.Repeat("x\n", MaxTableCells/MaxTableColumns+1),
	"lists ending in CRLF":          strings.Repeat("- ", MaxNesting) + "-\r\n",
	"too long":                      strings.Repeat("x", MaxBody+1),
	"deep indentation tabs":         strings.Repeat("\t", MaxNesting/2+1) + "x",
}

func indentedList(levels int) string {
	var b strings.Builder
	for i := range levels {
		fmt.Fprintf(&b, "%s- level %d\n", strings.Repeat("  ", i), i+1)
	}
	return b.String()
}

func TestCheckMarkdown_refusesWhatRendersSlowly(t *testing.T) {
	for name, body := range hostileBodies {
		err := CheckMarkdown(body)
		var ve ValidationError
		if !errors.As(err, &ve) || ve["body"] == "" {
			t.Errorf("%s: CheckMarkdown = %v, want a ValidationError on body", name, err)
			continue
		}
		if !strings.Contains(ve["body"], "at most") {
			t.Errorf("%s: %q does not name the limit", name, ve["body"])
		}
		if _, err := RenderMarkdown(body); !errors.As(err, &ve) {
			t.Errorf("%s: RenderMarkdown = %v, want the same refusal", name, err)
		}
		in := validInput()
		in.Body = body
		if err := in.Normalize(); !errors.As(err, &ve) || ve["body"] == "" {
			t.Errorf("%s: Normalize = %v, want a refusal on body", name, err)
		}
	}
}

func TestCheckMarkdown_acceptsRealArticles(t *testing.T) {
	table := "| Party | Seats | Change |\n|:--|--:|:-:|\n" + strings.Repeat("| Alliance | 120 | +4 |\n", 300)
	bodies := map[string]string{
		"ten levels of lists":     indentedList(10),
		"ten levels of quotes":    strings.Repeat("> ", 10) + "quoted\n",
		"quote holding a list":    "> Said the minister:\n>\n> - first\n>   - second\n>     1. third\n",
		"emphasis in prose":       strings.Repeat("The *council* voted **9 to 2** on the [budget](https://example.org/b) <https://example.org>. ", 100),
		"a long results table":    table,
		"code with indentation":   "```go\n" + strings.Repeat("\t", 20) + "return nil\n```\n",
		"a thousand paragraphs":   strings.Repeat("A paragraph with *one* [link](/a).\n\n", 1000),
		"numbered list of 10,000": strings.Repeat("1. item\n", 10000),
	}
	for name, body := range bodies {
		if err := CheckMarkdown(body); err != nil {
			t.Errorf("%s: CheckMarkdown = %v", name, err)
			continue
		}
		html, err := RenderMarkdown(body)
		if err != nil || html == "" {
			t.Errorf("%s: RenderMarkdown = %q, %v", name, html, err)
		}
	}
	html, _ := RenderMarkdown(indentedList(10))
	if n := strings.Count(html, "<ul>"); n != 10 {
		t.Errorf("ten levels of lists render %d lists, want 10:\n%s", n, html)
	}
}

// A body at MaxBody that repeats a long reference link stands for far more
// HTML than MaxHTML; it is refused, not rendered into memory.
func TestRenderMarkdown_refusesHugeHTML(t *testing.T) {
	def := "[r]: https://example.org/" + strings.Repeat("a", 2000) + "\n\n"
	// The uses are spread over paragraphs, so only the size refuses them.
	para := strings.Repeat("[r] ", 40) + "\n\n"
	body := def + strings.Repeat(para, (MaxBody-len(def))/len(para))
	if err := CheckMarkdown(body); err != nil {
		t.Fatalf("CheckMarkdown = %v; the test needs a body it accepts", err)
	}
	_, err := RenderMarkdown(body)
	var ve ValidationError
	if !errors.As(err, &ve) || !strings.Contains(ve["body"], "MiB") {
		t.Fatalf("RenderMarkdown = %v, want a refusal naming the MiB limit", err)
	}
}

func validInput() Input {
	return Input{Headline: "Headline", Body: "Body", Section: "national",
		Authors: []Byline{{Name: "Kim", Email: "kim@paper.example"}}}
}

// FuzzMarkdownTime repeats each input to a 32 KiB body, the way an attack
// repeats one shape (">" or "- " thousands of times), and fails when a body
// that validation accepts takes longer to render than renderBudget times a
// flat list of the same size, timed in the same process at the same
// moment, so that a slow or busy machine slows both alike. Of the shapes
// CheckMarkdown accepts, none costs twice such a list; without its limits,
// ">", "1. ", "> - ", "[a](<" and "*a_\n" cost 10 to 40 times as much at
// this size, and their cost grows with its square.
func FuzzMarkdownTime(f *testing.F) {
	for _, s := range []string{">", "- ", "1. ", "> - ", "  - x\n", "[", "[a](<", "![a](", "*a_\n", "a*b_c~", "|a|\n|-|\n",
		"[r]: /aaaaaaaaaaaaaaaa\n\n[r]", "`", "<a ", "\t- ", "* * ", "x\n\n"} {
		f.Add(s)
	}
	const size, renderBudget = 32 << 10, 10
	flatList := strings.Repeat("- x\n", size/len("- x\n"))
	f.Fuzz(func(t *testing.T, unit string) {
		if unit == "" {
			return
		}
		src := strings.Repeat(unit, max(1, size/len(unit)))
		cost, accepted := renderCost(t, src)
		if !accepted {
			return
		}
		listCost, _ := renderCost(t, flatList)
		if cost <= renderBudget*listCost {
			return
		}
		// A busy machine may have held up one run and not the other; the
		// fastest of a few runs of each is what the work itself costs.
		for range 3 {
			c, _ := renderCost(t, src)
			l, _ := renderCost(t, flatList)
			cost, listCost = min(cost, c), min(listCost, l)
		}
		if cost > renderBudget*listCost {
			t.Fatalf("%q × %d was accepted and took %v to render, over %d times the %v of a flat list as long", unit, len(src)/len(unit), cost, renderBudget, listCost)
		}
	})
}

// renderCost validates src as an article body and renders it, and tells
// how long that took and whether validation accepted it.
func renderCost(t *testing.T, src string) (time.Duration, bool) {
	t.Helper()
	start := time.Now()
	in := validInput()
	in.Body = src
	if in.Normalize() != nil {
		return time.Since(start), false
	}
	_, err := RenderMarkdown(src)
	var ve ValidationError
	if err != nil && !errors.As(err, &ve) {
		t.Fatalf("RenderMarkdown(%.40q…) = %v, want a ValidationError", src, err)
	}
	return time.Since(start), true
}
