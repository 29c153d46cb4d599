package api

import (
	"net/http"
	"strings"

	"broadsheet/internal/dictionary"
	"broadsheet/internal/glossary"
	"broadsheet/internal/http/response"
)

// lookupMaxAge is how long browsers and shared caches may keep a look-up.
// Answers include the newsroom glossary, which editors change at any time
// (through the API or the command line, on any instance): a short max-age,
// and no server-side cache, means a change shows within a minute with no
// invalidation to get wrong.
const lookupMaxAge = "public, max-age=60"

// GET /api/v1/dictionary?q=WORD looks a word up as it appears in an
// article (inflected forms resolve to their dictionary form): the
// newsroom glossary's entries for the word or its dictionary form first,
// then WordNet's. A word WordNet lacks but whose parts it knows
// ("denuclearization", "Seoul-based") is answered with an analysis into
// those parts and no entries. Public and cacheable: 200 with the entries
// or the analysis (a word only the glossary knows included), 404 with the
// nearest headwords when nothing at all can be said, 400 for a
// missing, overlong or malformed query. suggest=0 leaves the suggestions
// of a miss out. context=SENTENCE, the sentence the word was read in,
// orders the senses for it (dictionary.LookupInContext): the pop-up and
// "Words in this article" send it.
func (h *handler) lookupWord(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if err := checkWordQuery(q); err != nil {
		h.fail(w, r, err)
		return
	}
	sentence := r.URL.Query().Get("context")
	if err := dictionary.CheckContext(sentence); err != nil {
		h.fail(w, r, badRequest("The context parameter is not usable: %s.", err))
		return
	}
	d, err := h.dict()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, analysis, found := d.LookupOrAnalyzeInContext(q, sentence)
	keys := glossary.LookupKeys(q, res.Lemmas()...)
	gl, err := h.store.GlossaryLookup(r.Context(), keys)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	glossary.Order(gl, keys)
	w.Header().Set("Cache-Control", lookupMaxAge)
	if !found && len(gl) == 0 {
		sugg := []string{}
		// The article's pop-up tries several spans of words at once and
		// shows no suggestions; it asks for none, which saves the search
		// through the headwords (about 0.2 ms) on each miss.
		if r.URL.Query().Get("suggest") != "0" {
			if s := d.Suggest(q, 5); s != nil {
				sugg = s
			}
		}
		response.JSON(w, http.StatusNotFound, dictionaryMissDTO{Code: codeNotFound,
			Error: "The dictionary has no entry for " + quote(q) + ".", Suggestions: sugg})
		return
	}
	switch {
	case !found: // only the glossary knows the word
		res = dictionary.Result{Query: q, Lemma: keys[0]}
	case analysis != nil && res.Lemma == "":
		// Explained by its parts: the word itself, as the analysis reads
		// it, is what was looked up.
		res.Query, res.Lemma = q, analysis.Word
	}
	out := dictionaryOut(res, gl)
	out.Analysis = analysisOut(analysis)
	response.JSON(w, http.StatusOK, out)
}

// analysisDTO is a word WordNet lacks, explained by its parts
// ("denuclearization": de- + nuclear + -ization, a noun).
type analysisDTO struct {
	Word  string    `json:"word"`
	POS   string    `json:"pos"`
	Gloss string    `json:"gloss"`
	Parts []partDTO `json:"parts"`
}

type partDTO struct {
	Text    string `json:"text"`
	Lemma   string `json:"lemma"`
	Kind    string `json:"kind"`
	POS     string `json:"pos"`
	Meaning string `json:"meaning"`
}

// analysisOut is the analysis of a look-up, or nil when there is none.
func analysisOut(a *dictionary.Analysis) *analysisDTO {
	if a == nil {
		return nil
	}
	out := &analysisDTO{Word: a.Word, POS: a.POS, Gloss: a.Gloss, Parts: make([]partDTO, 0, len(a.Parts))}
	for _, p := range a.Parts {
		out.Parts = append(out.Parts, partDTO{Text: p.Text, Lemma: p.Lemma, Kind: p.Kind, POS: p.POS, Meaning: p.Meaning})
	}
	return out
}

// checkWordQuery turns the dictionary's rule for queries into a 400.
func checkWordQuery(q string) error {
	if err := dictionary.CheckQuery(q); err != nil {
		return badRequest("The q parameter is not usable: %s.", err)
	}
	return nil
}

func quote(s string) string { return "“" + s + "”" }
