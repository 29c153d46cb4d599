package dictionary

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// evalItem is one line of testdata/sense-eval.tsv: a word of a demo
// article, the sentence it is read in, and the WordNet sense a reader of
// the sentence chose for it.
type evalItem struct {
	article, word, headword, pos string
	sense                        int    // 1-based, in WordNet's order for headword and pos
	definition                   string // the start of that sense's definition
	sentence                     string
	line                         int
}

// heldOut reports whether an item belongs to the held-out part of the
// set: every article but those numbered 1, 4, 7 … 40, which form the
// development part the method's weights were set on.
func (it evalItem) heldOut() bool {
	n, _ := strconv.Atoi(it.article[:2])
	return n%3 != 1
}

func readEvalSet(t testing.TB) []evalItem {
	t.Helper()
	f, err := os.Open("testdata/sense-eval.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var items []evalItem
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 7 {
			t.Fatalf("line %d: %d fields, want 7", n, len(c))
		}
		sense, err := strconv.Atoi(c[4])
		if err != nil || sense < 1 {
			t.Fatalf("line %d: bad sense number %q", n, c[4])
		}
		items = append(items, evalItem{c[0], c[1], c[2], c[3], sense, c[5], c[6], n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return items
}

// expected is the definition of the item's sense in the embedded data,
// or an error when the item does not name a sense that exists.
func (d *Dictionary) expected(it evalItem) (string, error) {
	p := posIndex(it.pos)
	if p < 0 {
		return "", fmt.Errorf("unknown part of speech %q", it.pos)
	}
	_, ids, ok := d.posInfo(it.headword, p)
	if !ok {
		return "", fmt.Errorf("%q is not a %s in WordNet", it.headword, posNames[p])
	}
	senses := d.senses(it.headword, ids)
	if it.sense > len(senses) {
		return "", fmt.Errorf("%q has %d %s senses, not %d", it.headword, len(senses), posNames[p], it.sense)
	}
	def := senses[it.sense-1].Definition
	if !strings.HasPrefix(def, it.definition) {
		return "", fmt.Errorf("sense %d of %q is %q, not %q…", it.sense, it.headword, def, it.definition)
	}
	if !strings.Contains(it.sentence, it.word) {
		return "", fmt.Errorf("%q is not in the sentence", it.word)
	}
	return def, nil
}

// firstIs reports whether res shows the item's sense first.
func firstIs(res Result, it evalItem, def string) bool {
	if len(res.Entries) == 0 || len(res.Entries[0].Senses) == 0 {
		return false
	}
	e := res.Entries[0]
	return e.Lemma == it.headword && e.POS == posNames[posIndex(it.pos)] && e.Senses[0].Definition == def
}

// tally counts correct answers by part of speech.
type tally struct{ right, all [numPOS + 1]int }

func (t *tally) add(pos string, ok bool) {
	for _, i := range []int{posIndex(pos), numPOS} {
		t.all[i]++
		if ok {
			t.right[i]++
		}
	}
}

func (t *tally) pct(i int) float64 {
	if t.all[i] == 0 {
		return 0
	}
	return 100 * float64(t.right[i]) / float64(t.all[i])
}

func TestSenseEval_itemsNameRealSenses(t *testing.T) {
	d := testDictionary(t)
	items := readEvalSet(t)
	if len(items) < 300 {
		t.Errorf("%d items, want at least 300", len(items))
	}
	seen := map[string]int{}
	for _, it := range items {
		if _, err := d.expected(it); err != nil {
			t.Errorf("line %d (%s): %v", it.line, it.word, err)
		}
		key := it.word + "\t" + it.sentence
		if prev, ok := seen[key]; ok {
			t.Errorf("line %d repeats line %d", it.line, prev)
		}
		seen[key] = it.line
	}
}

// TestSenseEval_accuracy measures how often the first sense shown is the
// one the item names: WordNet's order (Lookup) against the order for the
// sentence (LookupInContext), by part of speech, on the development and
// the held-out parts. It fails if the held-out accuracy in context drops
// below minHeldOutAccuracy; `go test -run SenseEval -v` prints the table
// that docs/dictionary.md quotes.
func TestSenseEval_accuracy(t *testing.T) {
	d := testDictionary(t)
	var base, ctx [2]tally // [0] development, [1] held out
	var misses []string
	for _, it := range readEvalSet(t) {
		def, err := d.expected(it)
		if err != nil {
			continue // reported by TestSenseEval_itemsNameRealSenses
		}
		part := 0
		if it.heldOut() {
			part = 1
		}
		plain, _ := d.Lookup(it.word)
		base[part].add(it.pos, firstIs(plain, it, def))
		res, _ := d.LookupInContext(it.word, it.sentence)
		ok := firstIs(res, it, def)
		ctx[part].add(it.pos, ok)
		if !ok && part == 0 && len(res.Entries) > 0 {
			misses = append(misses, fmt.Sprintf("%s (%s %s %d) got %s %s: %.60s", it.word, it.headword, it.pos, it.sense,
				res.Entries[0].Lemma, res.Entries[0].POS, res.Entries[0].Senses[0].Definition))
		}
	}
	var b strings.Builder
	b.WriteString("| part | part of speech | items | WordNet's first sense | first sense in context |\n|---|---|---:|---:|---:|\n")
	for part, name := range []string{"development", "held out"} {
		for i, pos := range append(posNames[:], "all") {
			fmt.Fprintf(&b, "| %s | %s | %d | %.1f %% | %.1f %% |\n", name, pos, ctx[part].all[i], base[part].pct(i), ctx[part].pct(i))
		}
	}
	t.Log("\n" + b.String())
	if testing.Verbose() && os.Getenv("SENSE_EVAL_MISSES") != "" {
		t.Log("development misses:\n" + strings.Join(misses, "\n"))
	}
	if got := ctx[1].pct(numPOS); got < minHeldOutAccuracy {
		t.Errorf("held-out accuracy in context %.1f %%, want at least %.1f %%", got, minHeldOutAccuracy)
	}
	if got, plain := ctx[1].pct(numPOS), base[1].pct(numPOS); got < plain+5 {
		t.Errorf("held-out accuracy in context %.1f %%, want at least 5 points above WordNet's order (%.1f %%)", got, plain)
	}
}

// minHeldOutAccuracy is the held-out accuracy below which the method is
// taken to have got worse (it measured 45.4 % when the weights were
// frozen): a change that lowers it must say why, in docs/dictionary.md.
const minHeldOutAccuracy = 44.0
