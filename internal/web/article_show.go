package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
	"broadsheet/internal/http/request"
	"broadsheet/internal/section"
)

const relatedCount = 5

type articlePage struct {
	layout
	Article    article.Article
	Body       template.HTML // sanitized when the article was saved
	Breadcrumb []crumb
	Related    []article.Article
	Words      template.HTML // "Words in this article", escaped in articleWords
	Popup      template.HTML // the dictionary pop-up's markup, from Handler.popup
	Updated    bool          // show the updated time: it differs from publication
	// Counterpart is the article's published version in the other
	// language, nil for none.
	Counterpart *article.Article
}

// showArticle is the article page.
func (h *Handler) showArticle(r *http.Request, base layout) (result, error) {
	p, res, err := h.articleData(r, base)
	if err != nil || res.redirect != "" {
		return res, err
	}
	keys, err := h.completeArticlePage(r.Context(), &p)
	if err != nil {
		return result{}, err
	}
	res.keys = append(res.keys, keys...)
	if keys, err = h.addCounterpart(r.Context(), &p); err != nil {
		return result{}, err
	}
	res.keys = append(res.keys, keys...)
	res.name, res.data = "article", p
	return res, nil
}

// completeArticlePage adds to an article page what surrounds the
// article: its related articles, its less common words and the
// dictionary pop-up. keys are the cached content it shows besides the
// article's own.
func (h *Handler) completeArticlePage(ctx context.Context, p *articlePage) (keys []string, err error) {
	// Chosen when the article was published; an article without a choice
	// shows its section's latest.
	related, err := h.store.RelatedArticles(ctx, p.Article.ID, relatedCount)
	if err == nil && len(related) == 0 {
		related, err = h.store.ListArticles(ctx, article.ListQuery{Scope: article.PublicScope(),
			SectionIDs: []int64{p.Article.SectionID}, Status: article.Published, ExcludeIDs: []int64{p.Article.ID}, Limit: relatedCount})
	}
	if err != nil {
		return nil, err
	}
	p.Related = related
	for _, a := range related { // a related article's change redraws this page
		keys = append(keys, cache.ArticleKey(a.ID))
	}
	p.Words = h.articleWords(ctx, p.L, p.Article)
	if p.Popup, err = h.popup(p.L); err != nil {
		return nil, err
	}
	return keys, nil
}

// popup is the article's dictionary pop-up (a <template> with its strings
// in the reader's language), rendered once per language and kept: its
// dozen translated strings would otherwise cost a quarter of the
// allocations of an uncached article page.
func (h *Handler) popup(l locale) (template.HTML, error) {
	key := l.Lang
	if l.explicit {
		key += "|lang" // its link carries ?lang=
	}
	if v, ok := h.popups.Load(key); ok {
		return v.(template.HTML), nil
	}
	html, err := h.tmpl.renderPart("article", "dictionary_popup", l)
	if err != nil {
		return "", err
	}
	h.popups.Store(key, html)
	return html, nil
}

// showArticlePrint is the print view: the article alone.
func (h *Handler) showArticlePrint(r *http.Request, base layout) (result, error) {
	p, res, err := h.articleData(r, base)
	if err != nil || res.redirect != "" {
		if res.redirect != "" {
			res.redirect += "/print"
		}
		return res, err
	}
	res.name, res.data = "print", p
	return res, nil
}

// articleData loads a published article for its page or print view. A
// URL with an old or wrong slug is redirected to the article's own.
func (h *Handler) articleData(r *http.Request, base layout) (articlePage, result, error) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		return articlePage{}, result{}, fmt.Errorf("%w: article id %q", errNotFound, r.PathValue("id"))
	}
	a, err := h.store.Article(r.Context(), id)
	if err != nil {
		return articlePage{}, result{}, err
	}
	if a.Status != article.Published {
		return articlePage{}, result{}, fmt.Errorf("%w: article %d is not published", errNotFound, id)
	}
	if r.PathValue("slug") != a.Slug {
		// An imported old address wins over correcting the slug.
		if to := h.importedTarget(r); to != "" {
			return articlePage{}, result{redirect: to}, nil
		}
		return articlePage{}, result{redirect: a.URL()}, nil
	}
	p, keys := h.newArticlePage(base, a)
	return p, result{keys: keys}, nil
}

// newArticlePage is the page of article a, without what completeArticlePage
// adds; keys name the content it shows.
func (h *Handler) newArticlePage(base layout, a article.Article) (articlePage, []string) {
	chain := base.tree.Chain(a.SectionID)
	base.Title, base.Description = a.Headline, a.Deck
	if a.SEOTitle != "" {
		base.Title = a.SEOTitle
	}
	if a.SEODescription != "" {
		base.Description = a.SEODescription
	}
	base.Canonical = h.cfg.BaseURL + a.URL()
	if len(chain) > 0 {
		base.Active = chain[0].Path
	}
	base.JSONLD = []any{h.newsArticleLD(base, a, chain), base.breadcrumbLD(chain)}
	base.Meta = articleMeta(base, a, chain)
	p := articlePage{
		layout: base, Article: a, Body: template.HTML(a.BodyHTML), Breadcrumb: base.breadcrumb(chain, true),
		Updated: a.UpdatedAt.Sub(a.PublishedAt) > time.Minute,
	}
	return p, article.CacheKeys(a, chain)
}

// redirectArticle sends /article/{id} to the article's full URL, keeping
// the query (a chosen language).
func (h *Handler) redirectArticle(w http.ResponseWriter, r *http.Request) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	if h.redirectOld(w, r) {
		return // an imported paper's /article/ID
	}
	a, err := h.store.Article(r.Context(), id)
	if err == nil && a.Status != article.Published {
		err = errNotFound
	}
	if err != nil {
		h.serveError(w, r, h.lang(r), err) // missing is 404; a failing database is 500
		return
	}
	target := a.URL()
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
}

// articleMeta is what an article page tells other sites: a share preview
// with its lead image, the OpenGraph article times and topics, and the
// feeds a reader who liked it may follow: the site's and its section's.
func articleMeta(base layout, a article.Article, chain []section.Section) meta {
	abs := base.Site.BaseURL
	m := base.Meta
	m.Type, m.Image, m.ImageAlt = "article", absURL(abs, a.LeadImage.URL), a.LeadImage.Alt
	m.Published, m.Modified = a.PublishedAt, latest(a.PublishedAt, a.UpdatedAt)
	m.Feeds = feedLinks(abs, base.Site.Name, "/")
	if len(chain) > 0 {
		s := chain[len(chain)-1]
		m.Section = s.Name
		m.Feeds = append(m.Feeds, feedLinks(abs, s.Name+" | "+base.Site.Name, sectionURL(s.Path))...)
	}
	for _, t := range a.Tags {
		m.Tags = append(m.Tags, t.Name)
	}
	for _, au := range a.Authors {
		m.Authors = append(m.Authors, abs+"/author/"+au.Slug)
	}
	return m
}
