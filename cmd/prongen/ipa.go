package main

import (
	"fmt"
	"strings"
)

// syllable is one syllable of Festival's lexicon: its phones in Festival's
// lower-case ARPAbet and whether it bears stress.
type syllable struct {
	phones   []string
	stressed bool
}

// phoneIPA maps ARPAbet to General American IPA, after the usual table
// (Wikipedia's "ARPABET"). Festival writes CMUdict's unstressed AH0 as ax, so
// ah is always the stressed /ʌ/ and ax the schwa. er is rhotic: /ɝ/ stressed,
// /ɚ/ unstressed (see ipa). Vowel length is not marked, as in American
// dictionaries: /i/ and /u/, not /iː/ and /uː/.
var phoneIPA = map[string]string{
	"aa": "ɑ", "ae": "æ", "ah": "ʌ", "ao": "ɔ", "aw": "aʊ", "ax": "ə", "ay": "aɪ",
	"eh": "ɛ", "er": "ɝ", "ey": "eɪ", "ih": "ɪ", "iy": "i", "ow": "oʊ", "oy": "ɔɪ",
	"uh": "ʊ", "uw": "u",
	"b": "b", "ch": "tʃ", "d": "d", "dh": "ð", "f": "f", "g": "ɡ", "hh": "h",
	"jh": "dʒ", "k": "k", "l": "l", "m": "m", "n": "n", "ng": "ŋ", "p": "p",
	"r": "r", "s": "s", "sh": "ʃ", "t": "t", "th": "θ", "v": "v", "w": "w",
	"y": "j", "z": "z", "zh": "ʒ",
}

// ipa writes syllables as IPA, without the surrounding slashes. The first
// stressed syllable gets the primary stress mark ˈ and later ones the
// secondary ˌ (see the package comment); a word of one syllable gets none.
// An unstressed er is /ɚ/; an unstressed ah, which Festival does not write,
// would be /ə/.
func ipa(syllables []syllable) (string, error) {
	var b strings.Builder
	primary := false
	for _, s := range syllables {
		if s.stressed && len(syllables) > 1 {
			if primary {
				b.WriteString("ˌ")
			} else {
				b.WriteString("ˈ")
				primary = true
			}
		}
		for _, ph := range s.phones {
			switch {
			case ph == "er" && !s.stressed:
				b.WriteString("ɚ")
			case ph == "ah" && !s.stressed:
				b.WriteString("ə")
			default:
				v, ok := phoneIPA[ph]
				if !ok {
					return "", fmt.Errorf("unknown phone %q", ph)
				}
				b.WriteString(v)
			}
		}
	}
	if b.Len() == 0 {
		return "", fmt.Errorf("no phones")
	}
	return b.String(), nil
}

// functionWords are the closed-class words a reader meets in every article —
// determiners, pronouns, prepositions, conjunctions, auxiliaries and modals,
// and common particles — which WordNet, having only nouns, verbs, adjectives
// and adverbs, mostly lacks. Festival's lexicon has no contractions, so
// "don't" and "it's" are not here.
var functionWords = strings.Fields(`
a an the this that these those some any no every each either neither both all
half several many much more most few fewer less least enough such what which
whose whatever whichever
i me my mine myself you your yours yourself yourselves he him his himself she
her hers herself it its itself we us our ours ourselves they them their theirs
themselves one ones oneself who whom whoever someone somebody something anyone
anybody anything everyone everybody everything nobody nothing none
about above across after against along amid among amongst around as at before
behind below beneath beside besides between beyond but by despite down during
except for from in inside into like near of off on onto opposite out outside
over past per plus regarding round since than through throughout till to toward
towards under underneath unlike until up upon versus via with within without
and or nor so yet because although though while whereas if unless whether once
lest whenever wherever when where why how
be am is are was were been being have has had having do does did done doing
will would shall should can could may might must ought need dare
not there here then now just only also too very even still already yet again
ever never always often sometimes perhaps maybe quite rather almost
`)
