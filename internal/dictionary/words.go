package dictionary

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Word is a word of a text that a reader may want explained, as
// LessCommonWords lists it.
type Word struct {
	Form       string // as it first appears in the text, lower-cased
	Lemma      string // its dictionary form
	POS        string // part of speech of Definition
	Definition string // the sense that fits the sentence of its first use; see defineInSentence
	Frequency  int    // SemCor count of the lemma; lower is rarer
	senses     int    // number of senses over all parts of speech
	at         int    // byte offset of the first use
}

// minWordLen skips short words: they are almost all common.
const minWordLen = 4

// maxDefinitionLen keeps a definition to one line in a list.
const maxDefinitionLen = 140

// LessCommonWords picks up to n words of text that are least common by
// WordNet's own frequency counts (Frequency), one per dictionary form, in
// the order they first appear. Words that only ever appear capitalised are
// taken for names and left out, as are words under four letters and words
// the dictionary does not know. It builds no senses but the one definition
// shown, so an article of a thousand words takes well under a millisecond.
func (d *Dictionary) LessCommonWords(text string, n int) []Word {
	// Candidates are kept by value, indexed by form: an article has a few
	// hundred distinct words, and every allocation here makes the
	// collector scan the dictionary's large heap sooner.
	type candidate struct {
		form       string
		at         int  // byte offset of its first use
		lowerCased bool // appeared at least once not capitalised
	}
	order := make([]candidate, 0, len(text)/16)
	byForm := make(map[string]int, len(text)/16)
	eachTokenAt(text, func(tok string, at int) {
		form := lowerASCIIFast(tok)
		i, ok := byForm[form]
		if !ok {
			i = len(order)
			byForm[form] = i
			order = append(order, candidate{form: form, at: at})
		}
		if r, _ := utf8.DecodeRuneInString(tok); !unicode.IsUpper(r) {
			order[i].lowerCased = true
		}
	})
	type found struct {
		Word
		first int
	}
	words := make([]found, 0, 64)
	seen := make(map[string]bool, 64)
	add := func(i int) {
		info := d.rank(order[i].form)
		if info.lemma == "" || seen[info.lemma] {
			return
		}
		seen[info.lemma] = true
		words = append(words, found{Word{Form: order[i].form, Lemma: info.lemma, Frequency: info.freq, POS: posNames[info.pos], senses: info.senses, at: order[i].at}, i})
	}
	// Most words of an article are common. A word that is itself a
	// headword counted more than commonCount times has a dictionary form
	// at least as frequent, so it cannot rank before a rarer word: it is
	// set aside without the cost of ranking, and looked at only if too
	// few rare words turn up.
	var common []int
	for i, c := range order {
		if !c.lowerCased || len(c.form) < minWordLen || stopWords[c.form] {
			continue
		}
		if raw, ok := d.lemmas[c.form]; ok && rawCount(raw) > commonCount {
			common = append(common, i)
			continue
		}
		add(i)
	}
	if len(words) < n {
		for _, i := range common {
			add(i)
		}
	}
	// SemCor is a small corpus: most words of an article have a count of
	// 0 or 1. Among equals, a word with fewer senses is the more
	// specialised one (lawmaker has one, option five), then the longer.
	// Indices are sorted, not the wide structs.
	idx := make([]int, len(words))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int {
		a, b := &words[i], &words[j]
		return cmp.Or(cmp.Compare(a.Frequency, b.Frequency), cmp.Compare(a.senses, b.senses),
			cmp.Compare(len(b.Lemma), len(a.Lemma)), cmp.Compare(a.first, b.first))
	})
	idx = idx[:min(n, len(idx))]
	slices.Sort(idx) // words are in order of first appearance
	out := make([]Word, len(idx))
	for k, i := range idx {
		out[k] = words[i].Word
		d.defineInSentence(&out[k], text)
	}
	return out
}

// defineInSentence sets w's definition to the sense that fits the sentence
// of its first use in text, and its part of speech to that sense's; where
// the sentence says nothing, to the first sense of its most frequent part
// of speech. A multi-word headword of the sentence that holds the word
// ("interest rates") is not taken here: the list names single words.
//
// The sense chosen may belong to another dictionary form of the word
// ("talks", a negotiation, beside "talk"): the word is then listed under
// that form.
func (d *Dictionary) defineInSentence(w *Word, text string) {
	if res, ok := d.Lookup(w.Form); ok && len(res.Entries) > 0 {
		d.orderForSentence(&res, SentenceAt(text, w.at))
		if e := res.Entries[0]; !e.Lexicon && len(e.Senses) > 0 && e.Senses[0].Fits {
			w.Lemma, w.POS, w.Definition = e.Lemma, e.POS, oneLine(e.Senses[0].Definition)
			return
		}
	}
	w.Definition = d.firstDefinition(w.Lemma, posIndexOf(w.POS))
}

// oneLine cuts a definition to fit a line of a list.
func oneLine(def string) string {
	if utf8.RuneCountInString(def) > maxDefinitionLen {
		cut := []rune(def)[:maxDefinitionLen-1]
		def = strings.TrimRight(string(cut), " ,;") + "…"
	}
	return def
}

// SentenceAt is the sentence of text that holds byte offset at: from
// after the last ". ", "! " or "? " (or line break) before it to the next,
// cut to MaxContextLen characters centred on the offset when longer.
func SentenceAt(text string, at int) string {
	if at < 0 || at > len(text) {
		return ""
	}
	start := 0
	for i := at - 1; i > 0; i-- {
		if c := text[i]; (c == ' ' || c == '\n') && strings.ContainsRune(".!?\n", rune(text[i-1])) || c == '\n' {
			start = i + 1
			break
		}
	}
	end := len(text)
	for i := at; i < len(text); i++ {
		if c := text[i]; c == '\n' || (strings.ContainsRune(".!?", rune(c)) && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n')) {
			end = i + 1
			break
		}
	}
	if utf8.RuneCountInString(text[start:end]) > MaxContextLen {
		// Walk out from the offset, a rune at a time on each side.
		lo, hi, n := at, at, 0
		for n < MaxContextLen && (lo > start || hi < end) {
			if lo > start {
				_, size := utf8.DecodeLastRuneInString(text[start:lo])
				lo -= size
				n++
			}
			if hi < end && n < MaxContextLen {
				_, size := utf8.DecodeRuneInString(text[hi:end])
				hi += size
				n++
			}
		}
		start, end = lo, hi
	}
	return strings.TrimSpace(text[start:end])
}

// wordRank is what LessCommonWords needs to know of a word form: its best
// dictionary form (empty if none), that lemma's frequency and number of
// senses, and the part of speech to define it in.
type wordRank struct {
	lemma  string
	freq   int
	senses int
	pos    int
}

// maxRanked bounds the memo of ranked word forms: news vocabulary is a few
// tens of thousands of forms, and the signatures of the senses looked up
// in context add the words of WordNet's glosses they meet; a full memo is
// about 25 MB.
const maxRanked = 100_000

// rank ranks a lower-cased word form, once: morphy over a 150,000-entry
// map costs a microsecond or two per word in cache misses, the memo a
// single look-up. The dictionary never changes, so entries never go stale.
// Words of articles and of WordNet's own text are kept whether found or
// not; see rankReaders for a reader's words.
func (d *Dictionary) rank(form string) wordRank {
	return d.rankOf(form, true)
}

// rankReaders is rank for a word a reader sent (a look-up's sentence): it
// keeps only forms WordNet knows, which are bounded by its vocabulary, so
// that made-up words cannot fill the memo.
func (d *Dictionary) rankReaders(form string) wordRank {
	return d.rankOf(form, false)
}

func (d *Dictionary) rankOf(form string, keepMisses bool) wordRank {
	if v, ok := d.ranked.Load(form); ok {
		return v.(wordRank)
	}
	var wr wordRank
	if rs := d.readings(form); len(rs) > 0 {
		lemma := rs[0].lemma
		wr = wordRank{lemma: lemma, freq: d.Frequency(lemma), senses: d.senseCount(lemma), pos: d.mainPOS(lemma, rs)}
	}
	if (keepMisses || wr.lemma != "") && d.nRanked.Load() < maxRanked {
		if _, loaded := d.ranked.LoadOrStore(strings.Clone(form), wr); !loaded {
			d.nRanked.Add(1)
		}
	}
	return wr
}

// commonCount is the SemCor count above which a word is common enough
// that no reader of an English newspaper needs it explained.
const commonCount = 20

// rawCount sums the counts of a lemma's raw "pos\tcount\tids" fields.
func rawCount(raw string) int {
	n := 0
	for raw != "" {
		var c string
		_, raw, _ = strings.Cut(raw, "\t")
		c, raw, _ = strings.Cut(raw, "\t")
		_, raw, _ = strings.Cut(raw, "\t")
		v, _ := strconv.Atoi(c)
		n += v
	}
	return n
}

// stopWords are function words of four letters or more: never worth
// explaining, and not in WordNet, so morphy would look for them in vain.
var stopWords = map[string]bool{}

func init() {
	for w := range strings.FieldsSeq(`about above across after again against almost along also although among
		another anyone anything around because been before behind being below beside besides between beyond both
		cannot could does doing down during each either else enough even ever every from further have having
		here hers herself himself however into itself just least less many more most much must myself neither
		never none nothing once only onto other others ought ours ourselves over perhaps quite rather same several
		shall should since some someone something such than that their theirs them themselves then there therefore
		these they this those though through throughout thus till together toward towards under unless until upon
		very were what whatever when whenever where whereas wherever whether which while whom whose will with
		within without would your yours yourself yourselves`) {
		stopWords[w] = true
	}
}

// mainPOS is the part of speech of lemma, among its readings rs, with the
// highest frequency count; the first listed on a tie.
func (d *Dictionary) mainPOS(lemma string, rs []reading) int {
	best, bestCount := -1, -1
	for _, r := range rs {
		if r.lemma != lemma {
			continue
		}
		if c, _, _ := d.posInfo(lemma, r.pos); c > bestCount {
			best, bestCount = r.pos, c
		}
	}
	return best
}

func posIndexOf(name string) int { return slices.Index(posNames[:], name) }

// senseCount is the number of senses of lemma over all parts of speech.
func (d *Dictionary) senseCount(lemma string) int {
	n := 0
	for p := range numPOS {
		if _, ids, ok := d.posInfo(lemma, p); ok {
			n += strings.Count(ids, ",") + 1
		}
	}
	return n
}

// firstDefinition is the definition of lemma's first sense in part of
// speech p, cut to one line. A sense in which the word is a name (its
// synset spells it only capitalised: "Centre", the region of France) is
// passed over for the first common-noun sense, if there is one.
func (d *Dictionary) firstDefinition(lemma string, p int) string {
	_, ids, ok := d.posInfo(lemma, p)
	if !ok {
		return ""
	}
	def := ""
	for idText := range strings.SplitSeq(ids, ",") {
		id, _, ok := senseID(idText)
		if !ok || id >= len(d.synsets) {
			continue
		}
		s := d.synsets[id]
		if def == "" {
			def = s.def
		}
		if slices.Contains(strings.Split(s.words, "|"), lemma) {
			def = s.def
			break
		}
	}
	if utf8.RuneCountInString(def) > maxDefinitionLen {
		cut := []rune(def)[:maxDefinitionLen-1]
		def = strings.TrimRight(string(cut), " ,;") + "…"
	}
	return def
}

// tokens splits running text into words: letters, with apostrophes and
// hyphens inside them; a possessive 's is dropped.
func tokens(text string) []string {
	var out []string
	eachToken(text, func(w string) { out = append(out, w) })
	return out
}

// trimJoiners trims apostrophes and hyphens from both ends of w.
func trimJoiners(w string) string {
	for {
		switch {
		case strings.HasPrefix(w, "'"), strings.HasPrefix(w, "-"):
			w = w[1:]
		case strings.HasPrefix(w, "’"):
			w = w[len("’"):]
		case strings.HasSuffix(w, "'"), strings.HasSuffix(w, "-"):
			w = w[:len(w)-1]
		case strings.HasSuffix(w, "’"):
			w = w[:len(w)-len("’")]
		default:
			return w
		}
	}
}

// lowerASCIIFast lower-cases w, without allocating when it is lower-case
// ASCII already, as most words of running text are.
func lowerASCIIFast(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 0x80 || ('A' <= c && c <= 'Z') {
			return strings.ToLower(w)
		}
	}
	return w
}

// eachToken calls fn with each word of text, as tokens splits them.
func eachToken(text string, fn func(string)) {
	eachTokenAt(text, func(w string, _ int) { fn(w) })
}

// eachTokenAt is eachToken, also passing the byte offset in text where
// the token's span (before trimming) starts.
func eachTokenAt(text string, fn func(w string, at int)) {
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := trimJoiners(text[start:end])
		w = trimJoiners(strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s"))
		if w != "" {
			fn(w, start)
		}
		start = -1
	}
	for i := 0; i < len(text); {
		c := text[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf { // ASCII, most of an English article
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', r >= utf8.RuneSelf && unicode.IsLetter(r):
			if start < 0 {
				start = i
			}
		case r == '\'' || r == '’' || r == '-':
			// inside a word only; trimmed at its ends
		default:
			flush(i)
		}
		i += size
	}
	flush(len(text))
}
