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
// then WordNet's. Public and cacheable: 200 with the entries (a word only
// the glossary knows included), 404 with the nearest headwords, 400 for a
// missing, overlong or malformed query. suggest=0 leaves the suggestions
// of a miss out.
func (h *handler) lookupWord(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if err := checkWordQuery(q); err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.dict()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, found := d.Lookup(q)
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
	if !found { // only the glossary knows the word
		res = dictionary.Result{Query: q, Lemma: keys[0]}
	}
	response.JSON(w, http.StatusOK, dictionaryOut(res, gl))
}

// checkWordQuery turns the dictionary's rule for queries into a 400.
func checkWordQuery(q string) error {
	if err := dictionary.CheckQuery(q); err != nil {
		return badRequest("The q parameter is not usable: %s.", err)
	}
	return nil
}

func quote(s string) string { return "“" + s + "”" }
