package web

import (
	"errors"
	"net/http"
	"strings"

	"broadsheet/internal/dictionary"
	"broadsheet/internal/glossary"
)

type dictionaryPage struct {
	layout
	Query       string
	Result      dictionary.Result
	Glossary    []glossary.Entry     // shown before WordNet's entries
	Found       bool                 // in the glossary or WordNet
	InWordNet   bool                 // found in the dictionary (WordNet or the function-word lexicon)
	FromWordNet bool                 // some entry is WordNet's, which the page credits
	FromLexicon bool                 // some entry is the function-word lexicon's
	Analysis    *dictionary.Analysis // parts of a word WordNet lacks
	Missing     bool
	Suggestions []string
	Problem     string
}

// showDictionary is the dictionary page, /dictionary?q=WORD: where the
// article's Dictionary link leads without JavaScript. Look-ups take
// microseconds, so the page is rendered each time rather than kept in the
// page cache (whose keys do not include q). It shows the newsroom
// glossary, which editors change at any time, so shared caches may keep
// it only as long as any other page (h.cacheCtl: a minute).
func (h *Handler) showDictionary(w http.ResponseWriter, r *http.Request) {
	lang, explicit := h.chosenLang(r)
	base, err := h.layout(r, lang)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	base.L.explicit = explicit
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := dictionaryPage{layout: base, Query: q}
	p.Title = base.L.T("dictionary")
	status := http.StatusOK
	if q != "" {
		status, err = h.lookUp(r, &p)
		if err != nil {
			h.serveError(w, r, lang, err)
			return
		}
	}
	h.renderUncached(w, r, lang, status, "dictionary", p)
}

// renderUncached answers with a page drawn for this request alone (its
// query is not part of the page cache's keys); shared caches may keep it
// as long as any other page, per language.
func (h *Handler) renderUncached(w http.ResponseWriter, r *http.Request, lang string, status int, name string, data any) {
	body, err := h.tmpl.render(name, data)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	w.Header().Set("Content-Type", htmlType)
	w.Header()["Cache-Control"] = h.cacheCtl
	w.Header().Set("Vary", "Accept-Language")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// lookUp fills in the result of p.Query, the glossary's entries first,
// and returns the page's status.
func (h *Handler) lookUp(r *http.Request, p *dictionaryPage) (int, error) {
	if err := dictionary.CheckQuery(p.Query); err != nil {
		msg := err.Error()
		p.Problem = strings.ToUpper(msg[:1]) + msg[1:] + "."
		return http.StatusBadRequest, nil
	}
	d, err := dictionary.Default()
	if err != nil {
		return 0, errors.Join(errors.New("web: dictionary"), err)
	}
	var found bool
	p.Result, p.Analysis, found = d.LookupOrAnalyze(p.Query)
	p.InWordNet = found && p.Analysis == nil
	for _, e := range p.Result.Entries {
		p.FromLexicon = p.FromLexicon || e.Lexicon
		p.FromWordNet = p.FromWordNet || !e.Lexicon
	}
	if p.Analysis != nil {
		p.FromWordNet = true // the parts' meanings are WordNet's glosses
	}
	keys := glossary.LookupKeys(p.Query, p.Result.Lemmas()...)
	p.Glossary, err = h.store.GlossaryLookup(r.Context(), keys)
	if err != nil {
		return 0, err
	}
	glossary.Order(p.Glossary, keys)
	p.Found = found || len(p.Glossary) > 0
	if !p.InWordNet && len(keys) > 0 {
		p.Result.Lemma = keys[0]
	}
	if !p.Found {
		p.Missing, p.Suggestions = true, d.Suggest(p.Query, 5)
		return http.StatusNotFound, nil
	}
	return http.StatusOK, nil
}
