package dictionary

import (
	"math"
	"slices"
	"strings"
	"sync"
)

// A signature is the bag of words that describes a synset for the overlap
// of LookupInContext: the words of the synset, its definition and
// examples, and the words and definitions of up to maxRelated related
// synsets. Words are kept by their dictionary form (signatureKey), as ids
// of the dictionary's word table, sorted, each shifted left by one with the
// low bit set for a word of the synset's own text and clear for one of a
// related synset's. A signature holds 23 words on average, about 100
// bytes; were every one of the 117,659 built, they, the word table and the
// map holding them would take about 45 MB, and a news site meets a
// fraction of them.
type signature []uint32

// wordTable numbers the words of the signatures built so far. It grows
// only from WordNet's own text, never from a reader's sentence, so its
// size is bounded by WordNet's vocabulary.
type wordTable struct {
	mu  sync.RWMutex
	ids map[string]uint32
}

func (t *wordTable) intern(w string) uint32 {
	t.mu.RLock()
	id, ok := t.ids[w]
	t.mu.RUnlock()
	if ok {
		return id
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if id, ok := t.ids[w]; ok {
		return id
	}
	if t.ids == nil {
		t.ids = make(map[string]uint32, 1<<14)
	}
	id = uint32(len(t.ids))
	t.ids[strings.Clone(w)] = id
	return id
}

func (t *wordTable) find(w string) (uint32, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	id, ok := t.ids[w]
	return id, ok
}

// signature returns synset id's signature, building it on first use.
func (d *Dictionary) signature(id int) signature {
	if v, ok := d.signatures.Load(id); ok {
		return v.(signature)
	}
	var sig signature
	add := func(text string, own uint32) {
		eachToken(text, func(w string) {
			if k := d.signatureKey(lowerASCIIFast(w)); k != "" {
				sig = append(sig, d.words.intern(k)<<1|own)
			}
		})
	}
	s := d.synsets[id]
	add(s.words, 1)
	add(s.def, 1)
	add(s.examples, 1)
	n := 0
	for rel := range strings.SplitSeq(s.relations, ",") {
		if len(rel) < 2 || n >= maxRelated {
			continue
		}
		rid, _, ok := senseID(rel[1:])
		if !ok || rid >= len(d.synsets) {
			continue
		}
		add(d.synsets[rid].words, 0)
		add(d.synsets[rid].def, 0)
		n++
	}
	slices.Sort(sig)
	// One entry per word, the synset's own text winning over a related one's.
	out := sig[:0]
	for i, v := range sig {
		if i+1 < len(sig) && sig[i+1]>>1 == v>>1 {
			continue // the next is the same word, with the own bit if either has it
		}
		out = append(out, v)
	}
	sig = slices.Clip(out)
	d.signatures.Store(id, sig)
	return sig
}

// contextWord is a content word of the sentence, as a word-table id, with
// how much it tells: 1 for a word SemCor never tagged, less for common ones.
type contextWord struct {
	id     uint32
	weight float64
}

// contextWords are the content words of sentence other than those of the
// query that appear in any signature built so far (a word in none cannot
// meet one).
func (d *Dictionary) contextWords(sentence, query string) []contextWord {
	// A sentence has a few dozen words: slices beat maps here.
	skip := make([]string, 0, 32)
	eachToken(query, func(w string) { skip = append(skip, d.readerKey(lowerASCIIFast(w))) })
	out := make([]contextWord, 0, 16)
	eachToken(sentence, func(w string) {
		k := d.readerKey(lowerASCIIFast(w))
		if k == "" || slices.Contains(skip, k) {
			return
		}
		skip = append(skip, k) // each word counts once
		if id, ok := d.words.find(k); ok {
			out = append(out, contextWord{id, 1 / (1 + math.Log1p(float64(d.Frequency(k))))})
		}
	})
	return out
}

// overlap scores how well the signature meets the context words.
func (sig signature) overlap(ctx []contextWord) float64 {
	score := 0.0
	for _, c := range ctx {
		i, _ := slices.BinarySearch(sig, c.id<<1)
		if i < len(sig) && sig[i]>>1 == c.id {
			if sig[i]&1 == 1 {
				score += c.weight
			} else {
				score += c.weight * weights.related
			}
		}
	}
	return score
}
