package dictionary

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// Word-sense disambiguation: which of a word's senses fits the sentence it
// was read in. The method is a simplified extended Lesk (Banerjee and
// Pedersen, 2003): each sense gets a signature of the words of its synset,
// its definition and examples, and the words and definitions of the synsets
// WordNet relates to it (hypernyms, hyponyms, parts, wholes, domains,
// derived forms, similar adjectives…). The sentence's content words are
// counted where they meet a signature, rarer words counting more. To that
// overlap a prior is added: the sense's SemCor frequency (cntlist), its
// place in WordNet's order, and a hint of the part of speech from the word
// before it ("in talks" is a noun, "would talk" a verb).
//
// The weights below were set on the development part of the evaluation set
// (testdata/sense-eval.tsv) only; the held-out part measures them. See
// docs/dictionary.md.
type senseWeights struct {
	// related is how much a word of a related synset counts, against 1
	// for a word of the sense's own synset, definition or examples.
	related float64
	// overlap scales the overlap of the sentence with a signature.
	overlap float64
	// count scales ln(1 + SemCor count of the sense).
	count float64
	// rank is the cost of each place down WordNet's order within an
	// entry; entry the cost of each entry down the result.
	rank, entry float64
	// exact is the bonus of an entry whose headword is the word exactly as
	// written when it also reads as a form of another ("talks", a
	// negotiation, beside "talk").
	exact float64
	// posCue is the bonus of an entry whose part of speech the words
	// around the query call for (guessPOS).
	posCue float64
}

var weights = senseWeights{related: 0.3, overlap: 2, count: 0.25, rank: 0.02, entry: 0.1, exact: 0.6, posCue: 2}

// maxRelated bounds the related synsets read per sense: a general noun has
// hundreds of hyponyms, which would make every sentence overlap and the
// look-up slow.
const maxRelated = 40

// LookupInContext is Lookup for word as read in sentence: when the sentence
// holds a multi-word headword containing the word ("interest rates",
// "set aside"), that headword is answered; the senses are ordered so that
// the one that fits the sentence comes first, in the first entry, marked
// Fits. An empty sentence gives Lookup's answer unchanged.
func (d *Dictionary) LookupInContext(word, sentence string) (Result, bool) {
	if strings.TrimSpace(sentence) == "" {
		return d.Lookup(word)
	}
	res, ok := d.phraseInSentence(word, sentence)
	if !ok {
		if res, ok = d.Lookup(word); !ok {
			return Result{}, false
		}
	}
	d.orderForSentence(&res, sentence)
	return res, true
}

// LookupOrAnalyzeInContext is LookupOrAnalyze for word as read in
// sentence: LookupInContext's answer when the word is a headword, else the
// analysis into parts. An empty sentence gives LookupOrAnalyze's answer.
func (d *Dictionary) LookupOrAnalyzeInContext(word, sentence string) (Result, *Analysis, bool) {
	res, a, found := d.LookupOrAnalyze(word)
	if !found || a != nil || strings.TrimSpace(sentence) == "" {
		return res, a, found
	}
	if phrase, ok := d.phraseInSentence(word, sentence); ok {
		res = phrase
	}
	d.orderForSentence(&res, sentence)
	return res, nil, true
}

// phraseInSentence finds a one-word query in sentence and returns the
// longest multi-word headword of the sentence that contains it, if any.
func (d *Dictionary) phraseInSentence(word, sentence string) (Result, bool) {
	form, ok := normalize(word)
	if !ok || strings.Contains(form, " ") {
		return Result{}, false
	}
	words := strings.Fields(sentence)
	for i, w := range words {
		if f, ok := normalize(w); !ok || f != form {
			continue
		}
		res, ok := d.longestPhrase(words, i)
		if !ok {
			return Result{}, false
		}
		// "in talks over the border" is not the verb "talk over": a phrase
		// is taken only in a part of speech the word's neighbours allow.
		if cue := d.posCue(sentence, word); cue >= 0 && !slices.ContainsFunc(res.Entries, func(e Entry) bool { return e.POS == posNames[cue] }) {
			return Result{}, false
		}
		return res, true
	}
	return Result{}, false
}

// candidate is one sense of a result, with its score for the sentence.
type candidate struct {
	entry, sense int
	score        float64
}

// orderForSentence moves the sense of res that best fits sentence to the
// front of its entry, that entry to the front of res, and marks it Fits.
// A function word's own entries come first and are not reordered: the
// sentence rarely says which grammatical use is meant.
func (d *Dictionary) orderForSentence(res *Result, sentence string) {
	if len(res.Entries) == 0 || res.Entries[0].Lexicon {
		return
	}
	cue := d.posCue(sentence, res.Query)
	form, _ := normalize(res.Query)
	inflected := false
	for _, e := range res.Entries {
		inflected = inflected || (!e.Lexicon && e.Lemma != form)
	}
	// A word written in lower case is not a name: "centres" is no region
	// of France, whatever the sentence.
	lowerCase := res.Query != "" && !unicode.IsUpper([]rune(res.Query)[0])

	type option struct {
		candidate
		id, count int
	}
	var options []option
	for ei, e := range res.Entries {
		p := posIndexOf(e.POS)
		if e.Lexicon || p < 0 {
			continue
		}
		_, ids, ok := d.posInfo(e.Lemma, p)
		if !ok {
			continue
		}
		j := 0
		for idText := range strings.SplitSeq(ids, ",") {
			id, count, ok := senseID(idText)
			if !ok || id >= len(d.synsets) || j >= len(e.Senses) {
				break
			}
			if !lowerCase || !d.isNameSense(id, e.Lemma) {
				options = append(options, option{candidate{entry: ei, sense: j}, id, count})
			}
			j++
		}
	}
	// Signatures first: building one adds its words to the dictionary's
	// table, which the sentence's words are then read against, so the
	// answer never depends on what was asked before.
	sigs := make([]signature, len(options))
	for i, o := range options {
		sigs[i] = d.signature(o.id)
	}
	ctx := d.contextWords(sentence, res.Query)
	best := candidate{entry: -1}
	for i, o := range options {
		e := res.Entries[o.entry]
		score := weights.overlap*sigs[i].overlap(ctx) + weights.count*math.Log1p(float64(o.count)) -
			weights.rank*float64(o.sense) - weights.entry*float64(o.entry)
		if cue == posIndexOf(e.POS) {
			score += weights.posCue
		}
		if inflected && e.Lemma == form {
			score += weights.exact
		}
		if best.entry < 0 || score > best.score {
			best = candidate{o.entry, o.sense, score}
		}
	}
	if best.entry < 0 {
		return
	}
	e := res.Entries[best.entry]
	senses := make([]Sense, 0, len(e.Senses))
	senses = append(senses, e.Senses[best.sense])
	senses[0].Fits = true
	senses = append(senses, e.Senses[:best.sense]...)
	senses = append(senses, e.Senses[best.sense+1:]...)
	e.Senses = senses
	entries := make([]Entry, 0, len(res.Entries))
	entries = append(entries, e)
	entries = append(entries, res.Entries[:best.entry]...)
	entries = append(entries, res.Entries[best.entry+1:]...)
	res.Entries = entries
	res.Lemma = e.Lemma
}

// signatureKey is the form under which a word of a sentence or a gloss is
// compared: its best dictionary form, or "" for a word that says nothing
// of a sense (a function word, a very short word).
func (d *Dictionary) signatureKey(form string) string {
	if len(form) < 3 || stopWords[form] || isFunctionWord(form) {
		return ""
	}
	if wr := d.rank(form); wr.lemma != "" {
		return wr.lemma
	}
	return form
}

// maxReaderWord is the longest word of a reader's sentence that is looked
// at: longer "words" are no English words.
const maxReaderWord = 40

// readerKey is signatureKey for a word of a reader's sentence: nothing it
// reads is kept unless WordNet knows the word (see rankReaders).
func (d *Dictionary) readerKey(form string) string {
	if len(form) < 3 || len(form) > maxReaderWord || stopWords[form] || isFunctionWord(form) {
		return ""
	}
	if wr := d.rankReaders(form); wr.lemma != "" {
		return wr.lemma
	}
	return form
}

// isFunctionWord reports whether form is a word of the function-word
// lexicon, or an inflection of one.
func isFunctionWord(form string) bool {
	lx, err := loadFunctionWords()
	return err == nil && lx.lemma(form) != ""
}

// posCue is the part of speech (index into posNames) that the words
// around the query in sentence call for, or -1; see guessPOS.
func (d *Dictionary) posCue(sentence, query string) int {
	form, ok := normalize(query)
	if !ok {
		return -1
	}
	first, _, _ := strings.Cut(form, " ")
	var words []string
	eachToken(sentence, func(w string) { words = append(words, lowerASCIIFast(w)) })
	for i, w := range words {
		if w == first {
			return d.guessPOS(words, i)
		}
	}
	return -1
}

// isNameSense reports whether synset id is a sense in which lemma is a
// name: the synset spells it only capitalised ("Centre", the region).
func (d *Dictionary) isNameSense(id int, lemma string) bool {
	named := false
	for w := range strings.SplitSeq(d.synsets[id].words, "|") {
		if w == lemma {
			return false
		}
		named = named || strings.EqualFold(w, lemma)
	}
	return named
}
