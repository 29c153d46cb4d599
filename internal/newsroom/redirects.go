package newsroom

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	oldaddr "broadsheet/internal/redirect"
)

// redirectsPageSize is how many redirects one page lists.
const redirectsPageSize = 50

type redirectsPage struct {
	page
	Redirects []oldaddr.Redirect
	Query     string
	Next      string // the address of the next page, "" on the last
	First     string // the address of the first page, "" on it
	Form      form
	Added     *oldaddr.Redirect
	Deleted   string
}

// redirectRoutes adds the redirects page. It goes through the redirect
// service the API uses, which decides who may (editors and admins).
func (h *handler) redirectRoutes(mux *http.ServeMux) {
	if h.cfg.Redirects == nil {
		return
	}
	mux.HandleFunc("GET /newsroom/redirects", h.staff(anyStaff, h.showRedirects))
	mux.HandleFunc("POST /newsroom/redirects", h.staff(anyStaff, h.addRedirect))
	mux.HandleFunc("POST /newsroom/redirects/delete", h.staff(anyStaff, h.deleteRedirect))
}

// GET /newsroom/redirects?q=…&after=… — a page of redirects, searched by
// address, and the form to add one.
func (h *handler) showRedirects(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	h.renderRedirects(w, r, v, http.StatusOK, q.Get("q"), q.Get("after"), form{}, nil, q.Get("deleted"))
}

func (h *handler) renderRedirects(w http.ResponseWriter, r *http.Request, v *visit, status int, query, after string, f form, added *oldaddr.Redirect, deleted string) {
	list, err := h.cfg.Redirects.List(r.Context(), v.Staff, query, after, redirectsPageSize+1)
	var re *oldaddr.Error
	if errors.As(err, &re) {
		// A search too long to run lists nothing and says why.
		f = form{Name: "search", Values: url.Values{"q": {query}}, Errors: map[string]string{"q": v.L.T("newsroom_redirects_err_query", "Max", oldaddr.MaxQuery)}}
		status, list, err = http.StatusUnprocessableEntity, nil, nil
		query = ""
	}
	if errors.Is(err, oldaddr.ErrForbidden) {
		h.forbidden(w, r, v)
		return
	}
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	p := redirectsPage{page: h.visitPage(r, v, v.L.T("newsroom_redirects_title"), "redirects"), Query: query, Form: f, Added: added, Deleted: deleted}
	if len(list) > redirectsPageSize {
		list = list[:redirectsPageSize]
		p.Next = pageLink(query, list[len(list)-1].From)
	}
	if after != "" {
		p.First = pageLink(query, "")
	}
	p.Redirects = list
	h.render(w, r, status, "redirects", p)
}

func pageLink(query, after string) string {
	v := url.Values{}
	if query != "" {
		v.Set("q", query)
	}
	if after != "" {
		v.Set("after", after)
	}
	if len(v) == 0 {
		return "/newsroom/redirects"
	}
	return "/newsroom/redirects?" + v.Encode()
}

// POST /newsroom/redirects — add a redirect by hand.
func (h *handler) addRedirect(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	added, err := h.cfg.Redirects.Add(r.Context(), v.Staff, f.Get("from"), f.Get("to"))
	var re *oldaddr.Error
	switch {
	case errors.As(err, &re):
		field := re.Field
		if field != "to" {
			field = "from"
		}
		reason := re.Reason
		if id := "newsroom_redirects_reason_" + re.Code; re.Code != "" && v.L.T(id) != id {
			reason = v.L.T(id, "Max", oldaddr.MaxPath, "Own", ownTree(re.Path))
		}
		errs := map[string]string{field: v.L.T("newsroom_redirects_err_"+field, "Reason", reason)}
		h.renderRedirects(w, r, v, http.StatusUnprocessableEntity, "", "", form{Name: "add", Values: f, Errors: errs}, nil, "")
		return
	case errors.Is(err, oldaddr.ErrExists):
		errs := map[string]string{"from": v.L.T("newsroom_redirects_err_exists")}
		h.renderRedirects(w, r, v, http.StatusConflict, "", "", form{Name: "add", Values: f, Errors: errs}, nil, "")
		return
	case errors.Is(err, oldaddr.ErrForbidden):
		h.forbidden(w, r, v)
		return
	case err != nil:
		h.fail(w, r, v, err)
		return
	}
	h.renderRedirects(w, r, v, http.StatusOK, "", "", form{}, &added, "")
}

// POST /newsroom/redirects/delete — remove the redirect from an address.
func (h *handler) deleteRedirect(w http.ResponseWriter, r *http.Request, v *visit) {
	from := r.PostForm.Get("from")
	err := h.cfg.Redirects.Delete(r.Context(), v.Staff, from)
	var re *oldaddr.Error
	switch {
	case errors.Is(err, oldaddr.ErrNotFound), errors.As(err, &re):
		h.message(w, r, v.L, v, http.StatusNotFound, v.L.T("newsroom_not_found_title"), v.L.T("newsroom_redirects_not_found", "From", from))
		return
	case errors.Is(err, oldaddr.ErrForbidden):
		h.forbidden(w, r, v)
		return
	case err != nil:
		h.fail(w, r, v, err)
		return
	}
	redirect(w, r, v.L, "/newsroom/redirects?deleted="+url.QueryEscape(from))
}

// forbidden answers 403 with the page that names the member's role.
func (h *handler) forbidden(w http.ResponseWriter, r *http.Request, v *visit) {
	h.message(w, r, v.L, v, http.StatusForbidden, v.L.T("newsroom_forbidden_title"),
		v.L.T("newsroom_forbidden", "Role", v.L.T("newsroom_role_"+string(v.Staff.Role))))
}

// ownTree is the first segment of a path, as "/newsroom".
func ownTree(p string) string {
	if i := strings.IndexByte(strings.TrimPrefix(p, "/"), '/'); i >= 0 {
		return p[:i+1]
	}
	return p
}
