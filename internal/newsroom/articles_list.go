package newsroom

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/search"
	"broadsheet/internal/section"
)

// articlesPageSize is how many articles the list shows at once.
const articlesPageSize = 30

// maxListPage is the deepest page the list offers: the article service
// reads at most article.MaxListOffset articles deep.
const maxListPage = article.MaxListOffset/articlesPageSize + 1

// listStore is what the article list reads besides the article service:
// the author filter's choices and the authors it names.
type listStore interface {
	Authors(ctx context.Context) ([]author.Author, error)
	AuthorBySlug(ctx context.Context, slug string) (author.Author, error)
}

// listColumn is a sortable column's header: its link sorts by it, or
// turns the order round when the list is sorted by it already.
type listColumn struct {
	Name, Label, Href, AriaSort string
}

// listPageLink is one link of the pager.
type listPageLink struct {
	N       int
	Href    string
	Current bool
}

type articlesPage struct {
	page
	Form      article.ListForm // as asked, to fill the form in again
	Sort      string           // the sort in effect
	Order     string           // asc or desc
	Statuses  []string
	Sorts     []string
	Sections  []section.Section
	Paths     map[int64]string // section paths by id, for the rows
	Authors   []author.Author
	Columns   []listColumn
	Articles  []article.Article
	Total     int
	Page      int
	Pages     int
	PageLinks []listPageLink
	Prev      string
	Next      string
	Problem   string // why the parameters were refused (a 400)
	// FiltersOpen unfolds the filters on a phone when one was refused,
	// so the field to correct is in sight.
	FiltersOpen bool
}

// GET /newsroom/articles?q=&status=&section=&author=&from=&to=&sort=&order=&page=N
// — the articles a staff member may list (all for editors, their own for
// reporters: the article service decides), searched, filtered, sorted and
// paged; the last change's days are in the site's zone.
func (h *handler) showArticles(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	p := articlesPage{page: h.visitPage(r, v, v.L.T("newsroom_articles_title"), "articles"),
		Form:     article.ListFormOf(r.URL.Query()),
		Statuses: []string{"draft", "review", "scheduled", "published"},
		Page:     1,
	}
	for _, c := range article.SortColumns {
		p.Sorts = append(p.Sorts, string(c))
	}
	secs, err := h.store.Sections(ctx)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	if p.Authors, err = h.store.Authors(ctx); err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	tree := section.NewTree(secs)
	p.Sections, p.Paths = tree.All(), map[int64]string{}
	for _, s := range secs {
		p.Paths[s.ID] = s.Path
	}
	q, err := p.Form.Query(ctx, search.TreeResolver{Tree: tree, Authors: h.store}, v.L.tz, article.SortUpdated)
	if err == nil {
		err = listPageNumber(r.URL.Query().Get("page"), &p.Page)
	}
	p.Sort, p.Order = string(q.Sort), "desc"
	if q.Ascending {
		p.Order = "asc"
	}
	p.Columns = listColumns(v.L, p)
	if err == nil {
		q.Offset, q.Limit = (p.Page-1)*articlesPageSize, articlesPageSize
		p.Articles, err = h.articles.List(ctx, v.Staff, q)
	}
	if err == nil {
		p.Total, err = h.articles.Count(ctx, v.Staff, q)
	}
	var qe *article.QueryError
	if errors.As(err, &qe) {
		p.Problem, p.Articles, p.Total = listProblem(v.L, qe), nil, 0
		p.FiltersOpen = qe.Field != "q"
		h.render(w, r, http.StatusBadRequest, "articles", p)
		return
	}
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	p.Pages = max(1, (p.Total+articlesPageSize-1)/articlesPageSize)
	p.pager(v.L)
	h.render(w, r, http.StatusOK, "articles", p)
}

// listPageNumber reads the page parameter; "" is the first page.
func listPageNumber(s string, n *int) error {
	if s == "" {
		return nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 || v > maxListPage {
		return &article.QueryError{Field: "page", Err: article.ErrBadPage}
	}
	*n = v
	return nil
}

// href is the list's address for the form as asked with some parameters
// changed ("" removes one), in the page's language.
func (p articlesPage) href(l locale, change ...string) string {
	v := url.Values{}
	f := p.Form
	for k, s := range map[string]string{"q": f.Q, "status": f.Status, "section": f.Section, "author": f.Author,
		"from": f.From, "to": f.To, "sort": f.Sort, "order": f.Order} {
		if s != "" {
			v.Set(k, s)
		}
	}
	for i := 0; i+1 < len(change); i += 2 {
		if change[i+1] == "" {
			v.Del(change[i])
		} else {
			v.Set(change[i], change[i+1])
		}
	}
	if len(v) == 0 {
		return l.URL("/newsroom/articles")
	}
	return l.URL("/newsroom/articles?" + v.Encode())
}

// listColumns are the sortable headers. A column sorts in its natural
// order first (A to Z, the workflow's order, newest first for times).
func listColumns(l locale, p articlesPage) []listColumn {
	var out []listColumn
	for _, c := range []struct{ name, label, first string }{
		{"headline", "newsroom_field_headline", "asc"},
		{"section", "newsroom_field_section", "asc"},
		{"status", "newsroom_article_status", "asc"},
		{"updated", "newsroom_list_col_updated", "desc"},
		{"published", "newsroom_list_col_published", "desc"},
	} {
		col := listColumn{Name: c.name, Label: l.T(c.label)}
		order := c.first
		if p.Sort == c.name {
			col.AriaSort = "descending"
			order = "asc"
			if p.Order == "asc" {
				col.AriaSort, order = "ascending", "desc"
			}
		}
		col.Href = p.href(l, "sort", c.name, "order", order, "page", "")
		out = append(out, col)
	}
	return out
}

// pager sets the links to the previous, next and nearby pages.
func (p *articlesPage) pager(l locale) {
	at := func(n int) string {
		if n == 1 {
			return p.href(l, "page", "")
		}
		return p.href(l, "page", strconv.Itoa(n))
	}
	if p.Page > 1 {
		p.Prev = at(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = at(p.Page + 1)
	}
	if p.Pages == 1 {
		return
	}
	for n := 1; n <= p.Pages; n++ {
		// The first, the last and two either side of this one.
		if n == 1 || n == p.Pages || n >= p.Page-2 && n <= p.Page+2 {
			p.PageLinks = append(p.PageLinks, listPageLink{N: n, Href: at(n), Current: n == p.Page})
		}
	}
}

// listProblem says in the page's language which parameter was refused
// and why.
func listProblem(l locale, qe *article.QueryError) string {
	switch {
	case errors.Is(qe, search.ErrTooLong), errors.Is(qe, article.ErrTextTooLong):
		return l.T("newsroom_list_bad_q_long", "Max", article.MaxTextRunes)
	case errors.Is(qe, search.ErrTooMany):
		return l.T("newsroom_list_bad_q_words", "Max", search.MaxWords)
	case errors.Is(qe, search.ErrEmpty):
		return l.T("newsroom_list_bad_q_empty")
	case errors.Is(qe, search.ErrBadText):
		return l.T("newsroom_list_bad_q_text")
	case errors.Is(qe, article.ErrDateOrder):
		return l.T("newsroom_list_bad_date_order")
	case errors.Is(qe, article.ErrBadPage):
		return l.T("newsroom_list_bad_page", "Max", maxListPage)
	}
	switch qe.Field {
	case "status", "section", "author", "from", "to", "sort", "order":
		return l.T("newsroom_list_bad_" + qe.Field)
	}
	return l.T("newsroom_list_bad_other")
}
