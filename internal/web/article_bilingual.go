package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
)

// bilingualPath is the side-by-side view of an article and its
// counterpart in the other language.
func bilingualPath(a article.Article) string { return a.URL() + "/bilingual" }

// counterpart is a's published version in the other language, ok false
// when it has none or it is not published (a draft is never named on a
// reader's page). keys name the content the answer depends on, so that
// publishing, unpublishing or editing the counterpart redraws a's pages.
func (h *Handler) counterpart(ctx context.Context, a article.Article) (other article.Article, ok bool, keys []string, err error) {
	if a.CounterpartID == 0 {
		return article.Article{}, false, nil, nil
	}
	keys = []string{cache.ArticleKey(a.CounterpartID)}
	other, err = h.store.Article(ctx, a.CounterpartID)
	if errors.Is(err, article.ErrNotFound) {
		return article.Article{}, false, keys, nil
	}
	if err != nil {
		return article.Article{}, false, nil, err
	}
	// The pair is stored both ways; a half-undone one names nothing.
	if other.Status != article.Published || other.CounterpartID != a.ID {
		return article.Article{}, false, keys, nil
	}
	return other, true, keys, nil
}

// addCounterpart names a published counterpart on an article page: the
// head's hreflang alternates and the link to read it or both side by
// side.
func (h *Handler) addCounterpart(ctx context.Context, p *articlePage) ([]string, error) {
	other, ok, keys, err := h.counterpart(ctx, p.Article)
	if err != nil || !ok {
		return keys, err
	}
	p.Counterpart = &other
	p.Meta.Translation = &langVersion{Lang: article.LanguageOf(other), URL: h.cfg.BaseURL + other.URL()}
	p.Meta.OwnLanguage = article.LanguageOf(p.Article)
	return keys, nil
}

// bilingualPage is the side-by-side view: the English article on the
// left, the Korean one on the right, block by block.
type bilingualPage struct {
	layout
	English, Korean article.Article
	Rows            []bilingualRow
	Popup           template.HTML
}

// bilingualRow is one block of each side at the same position; the
// longer side's extra blocks come with an empty other side.
type bilingualRow struct {
	English, Korean template.HTML
}

// showArticleBilingual is the side-by-side view of an article and its
// published counterpart; either article's address shows it, and it is
// not found unless both are published.
func (h *Handler) showArticleBilingual(r *http.Request, base layout) (result, error) {
	p, res, err := h.articleData(r, base)
	if err != nil || res.redirect != "" {
		if res.redirect != "" {
			res.redirect += "/bilingual"
		}
		return res, err
	}
	other, ok, keys, err := h.counterpart(r.Context(), p.Article)
	if err != nil {
		return result{}, err
	}
	if !ok {
		return result{}, fmt.Errorf("%w: article %d has no published counterpart", errNotFound, p.Article.ID)
	}
	res.keys = append(res.keys, keys...)
	en, ko := p.Article, other
	if article.LanguageOf(en) == article.Korean {
		en, ko = ko, en
	}
	rows, err := pairBlocks(en.BodyHTML, ko.BodyHTML)
	if err != nil {
		return result{}, err
	}
	b := p.layout
	b.Title = en.Headline + " / " + ko.Headline
	b.Description = en.Deck
	// Both articles' addresses show the same view: the English one's is
	// the one to index.
	b.Canonical = h.cfg.BaseURL + bilingualPath(en)
	b.JSONLD = nil
	b.Meta.Translation = nil
	popup, err := h.popup(b.L)
	if err != nil {
		return result{}, err
	}
	res.name, res.data = "bilingual", bilingualPage{layout: b, English: en, Korean: ko, Rows: rows, Popup: popup}
	return res, nil
}

// pairBlocks splits two rendered bodies into their top-level blocks
// (paragraphs, headings, lists, figures) and pairs them by position.
func pairBlocks(enHTML, koHTML string) ([]bilingualRow, error) {
	en, err := blocks(enHTML)
	if err != nil {
		return nil, err
	}
	ko, err := blocks(koHTML)
	if err != nil {
		return nil, err
	}
	rows := make([]bilingualRow, max(len(en), len(ko)))
	for i := range rows {
		if i < len(en) {
			rows[i].English = en[i]
		}
		if i < len(ko) {
			rows[i].Korean = ko[i]
		}
	}
	return rows, nil
}

// blocks is the top-level elements of a body sanitized when it was
// saved, each rendered back as it was; text between them (line breaks)
// is dropped.
func blocks(body string) ([]template.HTML, error) {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
	if err != nil {
		return nil, fmt.Errorf("web: split article body: %w", err)
	}
	var out []template.HTML
	var buf bytes.Buffer
	for _, n := range nodes {
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) == "" {
			continue
		}
		buf.Reset()
		if err := html.Render(&buf, n); err != nil {
			return nil, fmt.Errorf("web: split article body: %w", err)
		}
		out = append(out, template.HTML(buf.String())) // sanitized when saved
	}
	return out, nil
}
