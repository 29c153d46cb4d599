package web

import (
	"net/http"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/http/request"
	"broadsheet/internal/popular"
)

// Views counts article views for the most-read lists.
type Views interface {
	Count(articleID int64)
}

// EnableViews turns on counting views and the most-read lists.
func (h *Handler) EnableViews(v Views) { h.views = v }

// mostReadFresh is how long a most-read list is served from the page
// cache: the counts move all the time, and a minute is fresh enough.
const mostReadFresh = time.Minute

// counted counts a reader's view of an article page: after the page is
// served (from the cache or not), only for a 200 to a GET by a browser,
// and only as an increment in memory.
func (h *Handler) counted(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.views == nil || r.Method != http.MethodGet || popular.IsBot(r) {
			next(w, r)
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next(sw, r)
		if sw.status == http.StatusOK {
			if id, ok := request.PathInt64(r, "id"); ok {
				h.views.Count(id)
			}
		}
	}
}

// statusWriter notes the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

type mostReadPage struct {
	layout
	Period   string // today or week
	Articles []article.Article
	Reads    []int // of each article, counted on this site
}

// mostRead is what a most-read list covers.
var mostReadPeriods = map[string]time.Duration{"today": 24 * time.Hour, "week": 7 * 24 * time.Hour}

// showMostRead is /most-read/{period}: the articles read most in the last
// day or week, counted on this site.
func (h *Handler) showMostRead(r *http.Request, base layout) (result, error) {
	period := r.PathValue("period")
	d, ok := mostReadPeriods[period]
	if !ok {
		return result{}, errNotFound
	}
	list, views, err := h.store.MostRead(r.Context(), h.now().Add(-d), 20)
	if err != nil {
		return result{}, err
	}
	base.Title = base.L.T("most_read_" + period)
	base.Active = "most-read"
	reads := make([]int, len(views)) // go-i18n chooses a plural form for an int
	for i, v := range views {
		reads[i] = int(v)
	}
	return result{name: "most_read", data: mostReadPage{layout: base, Period: period, Articles: list, Reads: reads},
		expires: h.now().Add(mostReadFresh)}, nil
}
