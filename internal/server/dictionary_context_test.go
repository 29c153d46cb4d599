package server_test

import (
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/store/storetest"
)

// TestAPI_dictionaryContextOrdersTheSenses walks the context parameter of
// GET /api/v1/dictionary: the sense that fits the sentence first and marked,
// a multi-word headword of the sentence preferred, nothing marked without a
// sentence, and a 400 a person understands for a context that cannot be used.
func TestAPI_dictionaryContextOrdersTheSenses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		type answer struct {
			Lemma   string `json:"lemma"`
			Entries []struct {
				Lemma       string `json:"lemma"`
				POS         string `json:"pos"`
				Definitions []struct {
					Text string `json:"text"`
					Fits *bool  `json:"fits"`
				} `json:"definitions"`
			} `json:"entries"`
		}
		lookup := func(q, context string) answer {
			t.Helper()
			path := "/api/v1/dictionary?q=" + url.QueryEscape(q)
			if context != "" {
				path += "&context=" + url.QueryEscape(context)
			}
			res, body := ts.get(t, path)
			if res.StatusCode != 200 {
				t.Fatalf("%s: status %d (%.200s)", path, res.StatusCode, body)
			}
			var a answer
			if err := jsonDecode(body, &a); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			return a
		}
		for _, tt := range []struct{ q, context, lemma, definition string }{
			{"bank", "Children played on the grassy bank of the river while the water rose.", "bank", "sloping land"},
			{"bank", "The bank lent money to small firms at a lower rate of interest.", "bank", "a financial institution"},
			{"rates", "The central bank left interest rates unchanged.", "interest rate", "the percentage of a sum of money"},
		} {
			a := lookup(tt.q, tt.context)
			first := a.Entries[0].Definitions[0]
			if a.Entries[0].Lemma != tt.lemma || !strings.HasPrefix(first.Text, tt.definition) || first.Fits == nil || !*first.Fits {
				t.Errorf("%s in %q: first %s %q (fits %v), want %s %q… marked fits", tt.q, tt.context, a.Entries[0].Lemma, first.Text, first.Fits, tt.lemma, tt.definition)
			}
			if a.Lemma != tt.lemma {
				t.Errorf("%s in %q: lemma %q, want %q", tt.q, tt.context, a.Lemma, tt.lemma)
			}
		}
		for _, e := range lookup("bank", "").Entries {
			for _, d := range e.Definitions {
				if d.Fits == nil || *d.Fits {
					t.Fatalf("without context: %q has fits %v, want false", d.Text, d.Fits)
				}
			}
		}
		for name, tt := range map[string]struct{ context, says string }{
			"too long":          {strings.Repeat("The bank lent money. ", 40), "The context parameter is not usable: the sentence is 840 characters long"},
			"control character": {"The bank\x07 lent money.", "The context parameter is not usable: the sentence holds a control character"},
			// The front door refuses such an address before any handler.
			"not UTF-8": {"The bank \xff lent money.", "not UTF-8"},
		} {
			res, body := ts.get(t, "/api/v1/dictionary?q=bank&context="+url.QueryEscape(tt.context))
			if res.StatusCode != 400 || !strings.Contains(body, tt.says) {
				t.Errorf("%s: status %d %.200s, want 400 saying why", name, res.StatusCode, body)
			}
		}
	})
}
