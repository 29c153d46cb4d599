package web

import (
	"net/http"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
)

type tagPage struct {
	listPage
	Tag  article.Tag
	Days []dayGroup // the page's articles by the day they were published
}

// dayGroup is one day of a topic's timeline.
type dayGroup struct {
	Day      time.Time // noon of the day in the site's zone, for formatting
	Articles cards
}

// byDay groups a newest-first list by the day (in the site's time zone)
// each article was published.
func byDay(l locale, list []article.Article) []dayGroup {
	var out []dayGroup
	for _, a := range list {
		t := a.PublishedAt.In(l.tz)
		day := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, l.tz)
		if n := len(out); n == 0 || !out[n-1].Day.Equal(day) {
			out = append(out, dayGroup{Day: day, Articles: cards{L: l}})
		}
		g := &out[len(out)-1]
		g.Articles.Articles = append(g.Articles.Articles, a)
	}
	return out
}

// showTag is a topic's timeline: the articles with the tag, newest first,
// under the day they were published.
func (h *Handler) showTag(r *http.Request, base layout) (result, error) {
	t, err := h.store.TagBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return result{}, err
	}
	base.Title = t.Name
	base.Meta.Feeds = feedLinks(base.Site.BaseURL, t.Name+" | "+base.Site.Name, "/tag/"+t.Slug)
	lp, err := h.listArticles(r.Context(), r, base, article.ListQuery{TagID: t.ID})
	if err != nil {
		return result{}, err
	}
	return result{name: "tag", data: tagPage{listPage: lp, Tag: t, Days: byDay(base.L, lp.Articles)},
		keys: []string{cache.TagKey(t.ID)}}, nil
}
