package web

import (
	"errors"
	"net/http"
	"strings"

	"broadsheet/internal/dictionary"
)

type dictionaryPage struct {
	layout
	Query       string
	Result      dictionary.Result
	Found       bool
	Missing     bool
	Suggestions []string
	Problem     string
}

// showDictionary is the dictionary page, /dictionary?q=WORD: where the
// article's Dictionary link leads without JavaScript. Look-ups take
// microseconds, so the page is rendered each time rather than kept in the
// page cache (whose keys do not include q); shared caches may keep it.
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
		status, err = h.lookUp(&p)
		if err != nil {
			h.serveError(w, r, lang, err)
			return
		}
	}
	body, err := h.tmpl.render("dictionary", p)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	w.Header().Set("Content-Type", htmlType)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Vary", "Accept-Language")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// lookUp fills in the result of p.Query and returns the page's status.
func (h *Handler) lookUp(p *dictionaryPage) (int, error) {
	if err := dictionary.CheckQuery(p.Query); err != nil {
		msg := err.Error()
		p.Problem = strings.ToUpper(msg[:1]) + msg[1:] + "."
		return http.StatusBadRequest, nil
	}
	d, err := dictionary.Default()
	if err != nil {
		return 0, errors.Join(errors.New("web: dictionary"), err)
	}
	p.Result, p.Found = d.Lookup(p.Query)
	if !p.Found {
		p.Missing, p.Suggestions = true, d.Suggest(p.Query, 5)
		return http.StatusNotFound, nil
	}
	return http.StatusOK, nil
}
