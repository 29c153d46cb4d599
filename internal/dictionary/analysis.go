package dictionary

import (
	"slices"
	"strings"
	"unicode"
)

// Analysis explains a word WordNet has no entry for by its parts: a
// derived word ("denuclearization" = de- + nuclear + -ization) or a
// hyphenated compound ("state-run" = state + run). The parts and their
// meanings are the content; Gloss only strings them together, since a
// sentence made up from parts would often be wrong.
type Analysis struct {
	Word  string // the word as analysed: normalised, without a possessive
	POS   string // the part of speech of the whole word, if it can be told
	Parts []Part
	Gloss string // the parts and their meanings in one line
}

// Part is one piece of an analysed word.
type Part struct {
	// Text is the piece as written in the word, without hyphens: the
	// Texts put back together (with the word's hyphens between the parts
	// of a compound) give Analysis.Word.
	Text string
	// Lemma is what the piece is shown and looked up as: an affix with its
	// hyphen ("de-", "-ization"), or a stem in its dictionary form, with the
	// letters spelling took away restored: "happy" for the "happi" of
	// "happiness", "use" for the "us" of "usable", "blog" for the "blogg"
	// of "blogger"; and an inflected stem in its dictionary form: "spot"
	// for "spots", "know" for the "known" of "well-known".
	Lemma   string
	Kind    string // "prefix", "stem", "suffix", "number" or "part" (of a compound)
	POS     string // the part of speech of a stem or part, when known
	Meaning string // empty for a part nothing is known of (often a name)
}

// maxAffixes bounds how many affixes one analysis strips.
const maxAffixes = 3

// minStemLen keeps stems from being guessed out of two letters.
const minStemLen = 3

// maxCompoundParts bounds the parts of a hyphenated compound.
const maxCompoundParts = 5

// Analyze splits a word that WordNet has no entry for into known parts.
// It reports false for a word WordNet has (Lookup answers it), for input
// Lookup would refuse, for phrases, and when no part is known at all.
//
// A word without hyphens is analysed into prefixes, one known stem and
// suffixes; of the analyses found, the one with the longest stem wins,
// then the one with fewer affixes ("reunification" is re- + unification,
// not re- + unify + -ication). Stripping a suffix restores a final e, y for
// i and a doubled consonant when that gives a headword; a stem with
// restored letters is not stripped further.
//
// A word with no such analysis may be two words written as one
// ("ceasefire" = cease + fire), or a plural or verb form of a derived word
// ("denuclearised").
//
// A hyphenated word is a prefix and a stem ("re-elect", "non-nuclear") or a
// compound whose parts are read one by one: numbers as numbers, linking
// words ("on" in "year-on-year"), participles of who runs a thing
// ("-based", "-run", "-led") and WordNet's first sense of each other part.
func (d *Dictionary) Analyze(word string) (Analysis, bool) {
	form, ok := normalize(word)
	if !ok || strings.Contains(form, " ") || d.knowsWhole(form) {
		return Analysis{}, false
	}
	return d.analyzeForm(form)
}

// analyzeForm analyses a normalised word whether or not WordNet has it:
// Analyze's work once it knows WordNet has no entry.
func (d *Dictionary) analyzeForm(form string) (Analysis, bool) {
	if base, ok := strings.CutSuffix(form, "'s"); ok {
		form = base
	} else if base, ok := strings.CutSuffix(form, "s'"); ok {
		form = base + "s"
	}
	if strings.ContainsRune(form, '\'') || form == "" {
		return Analysis{}, false
	}
	var a Analysis
	var ok bool
	if strings.Contains(form, "-") {
		a, ok = d.analyzeCompound(form)
	} else if a, ok = d.analyzeDerived(form); !ok {
		if a, ok = d.closedCompound(form); !ok {
			a, ok = d.inflectedDerived(form)
		}
	}
	if !ok {
		return Analysis{}, false
	}
	a.Gloss = glossOf(a.Parts)
	return a, true
}

// LookupOrAnalyze answers a reader's query: WordNet's entries when it has
// the word, else an analysis into parts. For a hyphenated word, Lookup
// falls back to the last part alone ("post-election" gives "election");
// an analysis names every part ("post-" + election, an adjective), so it
// is preferred then, and the last part's entries are kept only when no
// analysis can be made and the query is one word. found is false when
// nothing at all can be said.
func (d *Dictionary) LookupOrAnalyze(word string) (res Result, a *Analysis, found bool) {
	res, ok := d.Lookup(word)
	form, _ := normalize(word)
	if ok && (!strings.Contains(form, "-") || d.knowsWhole(form)) {
		return res, nil, true
	}
	if an, aok := d.Analyze(word); aok {
		return Result{Query: word}, &an, true
	}
	if strings.Contains(form, " ") {
		// A phrase ("a Seoul-based") is not explained by the last part
		// of its last word: the pop-up tries such spans before the word
		// alone, and would show "base".
		return Result{}, nil, false
	}
	return res, nil, ok
}

// knowsWhole reports whether WordNet has form as a whole, the way Lookup
// reads it (with a possessive removed, a hyphen as a space or left out),
// but not by its last part alone.
func (d *Dictionary) knowsWhole(form string) bool {
	alts := []string{form}
	if strings.HasSuffix(form, "'s") || strings.HasSuffix(form, "s'") {
		alts = append(alts, strings.TrimSuffix(strings.TrimSuffix(form, "'"), "'s"))
	}
	if strings.Contains(form, "-") {
		alts = append(alts, strings.ReplaceAll(form, "-", " "), strings.ReplaceAll(form, "-", ""))
	}
	for _, alt := range alts {
		if len(d.readings(alt)) > 0 {
			return true
		}
	}
	return false
}

// closedCompound reads a word written without a hyphen as two words
// WordNet knows ("ceasefire", "policymakers"): the longest first word that
// is a headword, then the rest in any inflected form. The whole takes the
// second word's part of speech.
func (d *Dictionary) closedCompound(form string) (Analysis, bool) {
	for i := len(form) - minStemLen; i >= minStemLen; i-- {
		first, rest := form[:i], form[i:]
		if !d.Has(first) || len(d.readings(rest)) == 0 {
			continue
		}
		parts := []Part{d.compoundPart(first, 0, 2), d.compoundPart(rest, 1, 2)}
		return Analysis{Word: form, POS: parts[1].POS, Parts: parts}, true
	}
	return Analysis{}, false
}

// inflections are the endings of plurals and verb forms, with the letters
// to restore before them, that inflectedDerived removes.
var inflections = []struct{ ending, restore, meaning string }{
	{"ies", "y", "more than one; or the form after he, she, it"},
	{"es", "", "more than one; or the form after he, she, it"},
	{"s", "", "more than one; or the form after he, she, it"},
	{"ed", "e", "past form: done, or having been done"},
	{"ed", "", "past form: done, or having been done"},
	{"ing", "e", "the -ing form: doing, or the act of doing"},
	{"ing", "", "the -ing form: doing, or the act of doing"},
}

// inflectedDerived analyses a plural or verb form of a derived word
// ("denuclearised" = de- + nuclear + -ise + -ed): the inflection is
// removed as morphy does, the rest analysed, and the ending added as a
// last part. Letters restored for the rest ("denuclearise") are taken off
// its last part again, so the parts still join back to the word.
func (d *Dictionary) inflectedDerived(form string) (Analysis, bool) {
	for _, in := range inflections {
		written, ok := strings.CutSuffix(form, in.ending)
		if !ok || len(written) < minStemLen {
			continue
		}
		a, ok := d.analyzeDerived(written + in.restore)
		if !ok {
			continue
		}
		last := &a.Parts[len(a.Parts)-1]
		trimmed, ok := strings.CutSuffix(last.Text, in.restore)
		if !ok || trimmed == "" {
			continue
		}
		last.Text = trimmed
		a.Parts = append(a.Parts, Part{Text: in.ending, Lemma: "-" + in.ending, Kind: "suffix", POS: a.POS, Meaning: in.meaning})
		a.Word = form
		return a, true
	}
	return Analysis{}, false
}

// derivation is one way of reading a word as affixes around a stem.
type derivation struct {
	prefixes []Part
	stem     Part
	suffixes []Part // outermost last
}

func (v derivation) parts() []Part {
	out := slices.Concat(v.prefixes, []Part{v.stem})
	for i := len(v.suffixes) - 1; i >= 0; i-- {
		out = append(out, v.suffixes[i])
	}
	return out
}

func (v derivation) better(w derivation) bool {
	if len(v.stem.Lemma) != len(w.stem.Lemma) {
		return len(v.stem.Lemma) > len(w.stem.Lemma)
	}
	return len(v.prefixes)+len(v.suffixes) < len(w.prefixes)+len(w.suffixes)
}

func (d *Dictionary) analyzeDerived(form string) (Analysis, bool) {
	best, ok := d.bestDerivation(form)
	if !ok {
		return Analysis{}, false
	}
	return Analysis{Word: form, POS: best.pos(), Parts: best.parts()}, true
}

// bestDerivation searches prefixes first, then suffixes from the end.
func (d *Dictionary) bestDerivation(form string) (derivation, bool) {
	var best derivation
	found := false
	consider := func(v derivation) {
		if !found || v.better(best) {
			best, found = v, true
		}
	}
	var stripSuffixes func(s string, pre, suf []Part)
	stripSuffixes = func(s string, pre, suf []Part) {
		if len(pre)+len(suf) >= maxAffixes {
			return
		}
		for _, x := range suffixes {
			written, ok := strings.CutSuffix(s, x.form)
			if !ok || len(written) < minStemLen-1 {
				continue
			}
			sp := Part{Text: x.form, Lemma: "-" + x.form, Kind: "suffix", POS: x.makes, Meaning: x.meaning}
			next := append(slices.Clip(suf), sp)
			for _, base := range restorations(written) {
				if len(base) < minStemLen {
					continue
				}
				if stem, ok := d.stemPart(written, base, x.form); ok {
					consider(derivation{prefixes: pre, stem: stem, suffixes: next})
				}
				if base == written {
					stripSuffixes(base, pre, next)
				}
			}
		}
	}
	var stripPrefixes func(s string, pre []Part)
	stripPrefixes = func(s string, pre []Part) {
		if len(pre) > 0 {
			if stem, ok := d.stemPart(s, s, ""); ok {
				consider(derivation{prefixes: pre, stem: stem})
			}
		}
		stripSuffixes(s, pre, nil)
		if len(pre) >= maxAffixes-1 {
			return
		}
		for _, p := range prefixes {
			rest, ok := strings.CutPrefix(s, p.form)
			if !ok || len(rest) < minStemLen {
				continue
			}
			pp := Part{Text: p.form, Lemma: p.form + "-", Kind: "prefix", POS: p.makes, Meaning: p.meaning}
			stripPrefixes(rest, append(slices.Clip(pre), pp))
		}
	}
	stripPrefixes(form, nil)
	return best, found
}

// pos is the part of speech of a derived word: its outermost suffix's, or
// the stem's; a prefix such as anti- or post- makes a noun an adjective.
func (v derivation) pos() string {
	if n := len(v.suffixes); n > 0 {
		return v.suffixes[n-1].POS
	}
	if v.stem.POS == "noun" {
		for _, p := range v.prefixes {
			if p.POS == "adjective" {
				return "adjective"
			}
		}
	}
	return v.stem.POS
}

// restorations lists the stems a written stem may stand for once a suffix
// is removed: itself, with a final e restored (us-able), with y for i
// (happi-ness) and with a doubled consonant undone (blogg-er).
func restorations(written string) []string {
	out := []string{written, written + "e"}
	n := len(written)
	if n > 1 && written[n-1] == 'i' {
		out = append(out, written[:n-1]+"y")
	}
	if n > 2 && written[n-1] == written[n-2] && !strings.ContainsRune("aeiouslf", rune(written[n-1])) {
		out = append(out, written[:n-1])
	}
	return out
}

// suffixStemPOS is the part of speech a suffix attaches to, when it has
// one: it chooses which sense of the stem to show ("elect" in "electable"
// is the verb).
var suffixStemPOS = map[string]string{
	"able": "verb", "ible": "verb", "ability": "verb", "ibility": "verb", "er": "verb", "or": "verb",
	"ee": "verb", "ment": "verb", "ation": "verb", "tion": "verb", "sion": "verb",
	"ness": "adjective", "ly": "adjective", "ity": "adjective", "ize": "adjective", "ise": "adjective",
	"ization": "adjective", "isation": "adjective", "ify": "adjective", "ish": "adjective",
	"less": "noun", "ful": "noun", "hood": "noun", "ship": "noun", "dom": "noun", "ism": "adjective",
	"ist": "noun", "wise": "noun", "ward": "noun", "wards": "noun", "al": "noun", "ive": "verb",
}

// stemPart is the stem part for written (as in the word) read as base, if
// base is a headword or an inflection of one. suffix, if not empty, is the
// suffix that follows the stem.
func (d *Dictionary) stemPart(written, base, suffix string) (Part, bool) {
	lemma, p, ok := d.bestReading(base, suffixStemPOS[suffix])
	if !ok {
		return Part{}, false
	}
	return Part{Text: written, Lemma: lemma, Kind: "stem", POS: posNames[p], Meaning: d.firstDefinition(lemma, p)}, true
}

// bestReading picks one dictionary form and part of speech of form: the
// preferred part of speech if form has it, else the one with the highest
// SemCor count.
func (d *Dictionary) bestReading(form, prefer string) (lemma string, p int, ok bool) {
	rs := d.readings(form)
	if len(rs) == 0 {
		return "", 0, false
	}
	best, bestCount := rs[0], -1
	for _, r := range rs {
		if posNames[r.pos] == prefer {
			return r.lemma, r.pos, true
		}
		if c, _, _ := d.posInfo(r.lemma, r.pos); c > bestCount {
			best, bestCount = r, c
		}
	}
	return best.lemma, best.pos, true
}

// mostFrequentPOS is the part of speech in which the headword s has the
// highest SemCor count, if s is a headword.
func (d *Dictionary) mostFrequentPOS(s string) (int, bool) {
	best, bestCount := -1, -1
	for p := range numPOS {
		if c, _, ok := d.posInfo(s, p); ok && c > bestCount {
			best, bestCount = p, c
		}
	}
	return best, best >= 0
}

// compoundPrefixes are the prefixes read as such before a hyphen. in-, il-,
// im- and ir- are left out: before a hyphen, "in" is the preposition
// ("in-house"), and the others are never written so.
func isCompoundPrefix(p affix) bool {
	switch p.form {
	case "in", "il", "im", "ir":
		return false
	}
	return true
}

func (d *Dictionary) analyzeCompound(form string) (Analysis, bool) {
	segs := strings.Split(form, "-")
	if len(segs) > maxCompoundParts || slices.Contains(segs, "") {
		return Analysis{}, false
	}
	if len(segs) == 2 {
		if a, ok := d.prefixedCompound(form, segs[0], segs[1]); ok {
			return a, true
		}
	}
	parts := make([]Part, len(segs))
	known := 0
	for i, s := range segs {
		parts[i] = d.compoundPart(s, i, len(segs))
		if parts[i].Meaning != "" {
			known++
		}
	}
	if known == 0 {
		return Analysis{}, false
	}
	return Analysis{Word: form, POS: compoundPOS(parts), Parts: parts}, true
}

// prefixedCompound reads "re-elect" and "non-nuclear" as a prefix and a
// stem (itself perhaps derived: "re-electable").
func (d *Dictionary) prefixedCompound(form, first, rest string) (Analysis, bool) {
	i := slices.IndexFunc(prefixes, func(p affix) bool { return p.form == first && isCompoundPrefix(p) })
	if i < 0 {
		return Analysis{}, false
	}
	p := prefixes[i]
	pp := Part{Text: p.form, Lemma: p.form + "-", Kind: "prefix", POS: p.makes, Meaning: p.meaning}
	var v derivation
	if stem, ok := d.stemPart(rest, rest, ""); ok {
		v = derivation{stem: stem}
	} else if dv, ok := d.bestDerivation(rest); ok {
		v = dv
	} else {
		return Analysis{}, false
	}
	v.prefixes = slices.Concat([]Part{pp}, v.prefixes)
	return Analysis{Word: form, POS: v.pos(), Parts: v.parts()}, true
}

// digitNames are the number words read as numbers.
var digitNames = map[string]string{
	"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
	"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "thousand": "1,000",
	"million": "1,000,000", "billion": "1,000,000,000", "half": "½", "single": "1", "double": "2",
}

// compoundPart reads the i-th of n parts of a compound.
func (d *Dictionary) compoundPart(s string, i, n int) Part {
	part := Part{Text: s, Lemma: s, Kind: "part"}
	switch {
	case isNumber(s):
		part.Kind, part.POS, part.Meaning = "number", "number", "the number "+s
		return part
	case digitNames[s] != "":
		part.Kind, part.POS, part.Meaning = "number", "number", "the number "+digitNames[s]
		return part
	case i > 0 && i < n-1 && linkWords[s] != "":
		part.Meaning = linkWords[s]
		return part
	case i == n-1 && n > 1 && runBy[s] != "":
		// Shown as written: the meaning is the participle's ("based in
		// or on"), not the verb's.
		part.POS, part.Meaning = "participle", runBy[s]
		return part
	}
	// The last part is the head of the compound: a noun ("low-risk",
	// "high-level") or a participle ("well-known"). Other parts are read
	// as written when WordNet has them so ("working" in "working-level"),
	// not reduced to a verb.
	prefer := ""
	switch {
	case i == n-1 && n > 1 && isParticipleForm(s):
		prefer = "verb"
	case i == n-1:
		prefer = "noun"
	}
	lemma, p, ok := d.bestReading(s, prefer)
	if prefer == "" {
		if p2, exact := d.mostFrequentPOS(s); exact {
			lemma, p = s, p2
		}
	}
	if !ok {
		if v, ok := d.bestDerivation(s); ok {
			part.POS, part.Meaning = v.pos(), glossOf(v.parts())
		}
		return part
	}
	part.Lemma, part.POS, part.Meaning = lemma, posNames[p], d.firstDefinition(lemma, p)
	if prefer == "verb" && posNames[p] == "verb" && lemma != s {
		part.POS = "participle"
	}
	return part
}

// isParticipleForm reports whether s looks like a past participle
// ("owned", "known", "built").
func isParticipleForm(s string) bool {
	return strings.HasSuffix(s, "ed") || strings.HasSuffix(s, "en") || strings.HasSuffix(s, "wn") ||
		strings.HasSuffix(s, "lt") || strings.HasSuffix(s, "ung") || strings.HasSuffix(s, "ought")
}

func isNumber(s string) bool {
	hasDigit := false
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			hasDigit = true
		case r == '.' || r == ',':
		default:
			return false
		}
	}
	return hasDigit
}

// compoundPOS is the part of speech of a hyphenated compound. Most
// hyphenated compounds of news stand before a noun and describe it: one
// ending in a participle ("state-run"), a number and a noun ("three-way",
// "24-hour"), an adjective or adverb and a noun ("high-level"), or parts
// joined by a linking word ("year-on-year"). Others take the last part's.
func compoundPOS(parts []Part) string {
	first, last := parts[0], parts[len(parts)-1]
	switch {
	case last.POS == "participle":
		return "adjective"
	case first.Kind == "number" && last.POS == "noun":
		return "adjective"
	case (first.POS == "adjective" || first.POS == "adverb") && last.POS == "noun":
		return "adjective"
	case len(parts) == 3 && linkWords[parts[1].Text] != "" && parts[1].Kind == "part" && parts[1].POS == "":
		return "adjective"
	case last.POS == "number":
		return "noun"
	}
	return last.POS
}

// glossOf strings the parts and their meanings together:
// "de- (remove, undo, make less) + nuclear + -ization (the process of
// making or becoming)". Only the short meanings written for affixes and
// linking parts are repeated; a stem's WordNet sense is left to its own
// line, and an unknown part is shown as it is.
func glossOf(parts []Part) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(" + ")
		}
		b.WriteString(p.Lemma)
		if p.Meaning != "" && (p.Kind == "prefix" || p.Kind == "suffix" || p.Kind == "part" && (runBy[p.Text] != "" || p.POS == "")) {
			b.WriteString(" (" + p.Meaning + ")")
		}
	}
	return b.String()
}
