package api

import (
	"net/http"
	"strings"

	"broadsheet/internal/dictionary"
	"broadsheet/internal/http/response"
)

// GET /api/v1/dictionary?q=WORD looks a word up as it appears in an
// article (inflected forms resolve to their dictionary form). Public and
// cacheable: 200 with the entries, 404 with the nearest headwords, 400
// for a missing, overlong or malformed query.
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
	w.Header().Set("Cache-Control", "public, max-age=86400")
	res, ok := d.Lookup(q)
	if !ok {
		sugg := d.Suggest(q, 5)
		if sugg == nil {
			sugg = []string{}
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		response.JSON(w, http.StatusNotFound, dictionaryMissDTO{Code: codeNotFound,
			Error: "The dictionary has no entry for " + quote(q) + ".", Suggestions: sugg})
		return
	}
	response.JSON(w, http.StatusOK, dictionaryOut(res))
}

// checkWordQuery turns the dictionary's rule for queries into a 400.
func checkWordQuery(q string) error {
	if err := dictionary.CheckQuery(q); err != nil {
		return badRequest("The q parameter is not usable: %s.", err)
	}
	return nil
}

func quote(s string) string { return "“" + s + "”" }
