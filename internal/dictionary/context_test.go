package dictionary

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// The sentences here are written for these tests; none is from the demo
// articles, whose words make up the evaluation set (sense_eval_test.go).

func TestLookupInContext_firstSenseFitsTheSentence(t *testing.T) {
	d := testDictionary(t)
	tests := []struct {
		word, sentence string
		lemma, pos     string
		definition     string // the start of the sense that must come first
	}{
		{"bank", "Children played on the grassy bank of the river while the water rose.", "bank", "noun", "sloping land"},
		{"bank", "The bank lent money to small firms at a lower rate of interest.", "bank", "noun", "a financial institution"},
		{"plant", "The company will build a new plant to make batteries for electric cars.", "plant", "noun", "buildings for carrying on industrial labor"},
		{"plant", "She watered the plant on her windowsill and it grew new leaves.", "plant", "noun", "(botany) a living organism"},
		{"court", "The court ruled that the law was unconstitutional and the judge dismissed the case.", "court", "noun", "an assembly (including one or more judges)"},
		{"crane", "A crane lifted the steel beams onto the roof of the building.", "crane", "noun", "lifts and moves heavy objects"},
		{"crane", "A crane stood in the shallow water of the marsh, hunting for fish.", "crane", "noun", "large long-necked wading bird"},
		{"vessel", "The surgeon repaired a damaged blood vessel in her leg.", "blood vessel", "noun", "a vessel in which blood circulates"},
		{"pitch", "The pitcher threw a fast pitch and the batter missed it in the ninth inning.", "pitch", "noun", "(baseball) the act of throwing"},
		{"strike", "Workers went on strike to demand higher wages.", "strike", "noun", "a group's refusal to work"},
		// The words around it say which part of speech is meant.
		{"host", "Three cities have applied to host the games in 2034.", "host", "verb", "be the host of or for"},
		{"broken", "Voters are tired of broken promises.", "broken", "adjective", ""},
		{"talks", "She talks to her grandmother on the phone every evening.", "talk", "verb", ""},
		{"early", "The early results pleased the campaign.", "early", "adjective", ""},
		{"daily", "He reads a daily newspaper on the train.", "daily", "adjective", ""},
		{"quickly", "The council quickly approved the plan.", "quickly", "adverb", ""},
		{"talks", "The two governments are in talks over the border.", "", "noun", ""},
		// A multi-word headword of the sentence is preferred.
		{"rates", "The central bank left interest rates unchanged.", "interest rate", "noun", "the percentage of a sum of money"},
		{"set", "The ministry will set aside funds for flood repairs.", "set aside", "verb", "give or assign a resource"},
	}
	for _, tt := range tests {
		res, ok := d.LookupInContext(tt.word, tt.sentence)
		if !ok || len(res.Entries) == 0 {
			t.Errorf("%s in %q: not found", tt.word, tt.sentence)
			continue
		}
		e := res.Entries[0]
		s := e.Senses[0]
		if (tt.lemma != "" && e.Lemma != tt.lemma) || e.POS != tt.pos || !strings.HasPrefix(s.Definition, tt.definition) {
			t.Errorf("%s in %q: first %s %s %q, want %s %s %q…", tt.word, tt.sentence, e.Lemma, e.POS, s.Definition, tt.lemma, tt.pos, tt.definition)
		}
		if !s.Fits {
			t.Errorf("%s in %q: the first sense is not marked Fits", tt.word, tt.sentence)
		}
		if res.Lemma != e.Lemma {
			t.Errorf("%s: Result.Lemma %q, want the first entry's %q", tt.word, res.Lemma, e.Lemma)
		}
	}
}

func TestLookupInContext_keepsEverySenseAndMarksOne(t *testing.T) {
	d := testDictionary(t)
	plain, _ := d.Lookup("bank")
	res, _ := d.LookupInContext("bank", "The bank lent money to small firms.")
	count := func(r Result) (senses, fits int) {
		for _, e := range r.Entries {
			for _, s := range e.Senses {
				senses++
				if s.Fits {
					fits++
				}
			}
		}
		return
	}
	ps, pf := count(plain)
	cs, cf := count(res)
	if ps != cs || pf != 0 || cf != 1 {
		t.Errorf("senses %d→%d, marked %d→%d; want every sense kept, none marked without a sentence and one with", ps, cs, pf, cf)
	}
}

func TestLookupInContext_withoutASentenceIsLookup(t *testing.T) {
	d := testDictionary(t)
	for _, sentence := range []string{"", "   "} {
		plain, _ := d.Lookup("summit")
		res, ok := d.LookupInContext("summit", sentence)
		if !ok || res.Entries[0].Senses[0].Definition != plain.Entries[0].Senses[0].Definition || res.Entries[0].Senses[0].Fits {
			t.Errorf("sentence %q changed the answer", sentence)
		}
	}
}

func TestLookupInContext_functionWordsKeepTheirOrder(t *testing.T) {
	d := testDictionary(t)
	res, ok := d.LookupInContext("can", "The council can approve the plan next week.")
	if !ok || !res.Entries[0].Lexicon || res.Entries[0].POS != "modal verb" {
		t.Fatalf("can: first entry %+v, want the modal verb of the lexicon", res.Entries[0])
	}
}

func TestLookupInContext_oddSentencesDoNotBreakIt(t *testing.T) {
	d := testDictionary(t)
	for _, sentence := range []string{
		"bank", "bank bank bank", strings.Repeat("river ", 200), "’“…”‘", "은행 bank 강", "The\u00a0bank\u00a0lent.", "-- -- --",
	} {
		res, ok := d.LookupInContext("bank", sentence)
		if !ok {
			t.Errorf("bank in %q: not found", sentence)
			continue
		}
		plain, _ := d.Lookup("bank")
		senses, fits := 0, 0
		for _, e := range res.Entries {
			for _, s := range e.Senses {
				senses++
				if s.Fits {
					fits++
				}
			}
		}
		want := 0
		for _, e := range plain.Entries {
			want += len(e.Senses)
		}
		if senses != want || fits != 1 {
			t.Errorf("bank in %.40q: %d senses (want %d), %d marked (want 1)", sentence, senses, want, fits)
		}
	}
}

func TestCheckContext(t *testing.T) {
	for s, ok := range map[string]bool{
		"":                                   true,
		"The bank lent money.":               true,
		"Line one\nline two\twith tabs.":     true,
		strings.Repeat("a", MaxContextLen):   true,
		strings.Repeat("a", MaxContextLen+1): false,
		strings.Repeat("가", MaxContextLen):   true,
		"bell\x07":                           false,
		"nul\x00":                            false,
		"bad \xff utf-8":                     false,
	} {
		if err := CheckContext(s); (err == nil) != ok {
			t.Errorf("CheckContext(%.30q) = %v, want ok=%v", s, err, ok)
		}
	}
}

// A reader's sentence may hold any made-up words: none of them may be kept
// in the dictionary's memo of word forms, or requests could fill it.
func TestLookupInContext_readersWordsAreNotKept(t *testing.T) {
	d, err := Load(bytes.NewReader(wordnetData))
	if err != nil {
		t.Fatal(err)
	}
	d.LookupInContext("bank", "The bank lent money.") // builds bank's signatures
	before := d.nRanked.Load()
	for i := range 300 {
		d.LookupInContext("bank", fmt.Sprintf("The qzx%dv bank lent vrrp%d money %s.", i, i, strings.Repeat("가", 200)))
	}
	if after := d.nRanked.Load(); after != before {
		t.Errorf("the memo grew from %d to %d forms on made-up words", before, after)
	}
}
