package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/http/request"
	"broadsheet/internal/reader"
)

// The comments of an article live at /article/{id}/comments, apart from
// the article page: the article stays in the page cache for everyone
// while the comments, which differ for each signed-in reader and change
// by the second, are rendered on every request. With JavaScript the
// article page loads this block (?partial=1) into itself; without it,
// the article links here.

// showComments is the comments page or, with ?partial=1, the block alone.
func (h *Handler) showComments(w http.ResponseWriter, r *http.Request) {
	h.renderComments(w, r, http.StatusOK, "", "", "")
}

// renderComments draws the comments with an error or notice and, after a
// refused post, the reader's text kept in the box.
func (h *Handler) renderComments(w http.ResponseWriter, r *http.Request, status int, errText, notice, draft string) {
	lang, explicit := h.chosenLang(r)
	if h.comments == nil {
		h.serveError(w, r, lang, errNotFound)
		return
	}
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.serveError(w, r, lang, errNotFound)
		return
	}
	base, err := h.layout(r, lang)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	base.L.explicit = explicit
	a, err := h.store.Article(r.Context(), id)
	if err == nil && a.Status != article.Published {
		err = errNotFound
	}
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	d, err := h.commentsData(r, base, a)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	d.Error, d.Notice, d.Draft, d.DraftLength = errText, notice, draft, comment.Length(draft)
	var body []byte
	if r.URL.Query().Get("partial") == "1" {
		body, err = h.tmpl.renderBlock("comments", "comments_block", &d)
	} else {
		d.Title = base.L.T("comments") + ": " + a.Headline
		d.Canonical = h.cfg.BaseURL + a.URL() + "/comments"
		body, err = h.tmpl.render("comments", &d)
	}
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	w.Header().Set("Content-Type", htmlType)
	// Personal (the reader's own held comments, their reactions, the CSRF
	// token) and changing by the second: never kept by any cache.
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (h *Handler) commentsData(r *http.Request, base layout, a article.Article) (commentsData, error) {
	ctx := r.Context()
	c := h.comments
	q := r.URL.Query()
	sort := comment.ParseSort(q.Get("sort"))
	offset, _ := strconv.Atoi(q.Get("offset"))
	d := commentsData{layout: base, ArticleID: a.ID, ArticleURL: a.URL(), Headline: a.Headline, Sort: sort,
		Sorts: []comment.Sort{comment.Newest, comment.Oldest, comment.Best}}
	d.Self = a.URL() + "/comments?sort=" + string(sort)
	if base.L.Explicit() {
		d.Self += "&lang=" + base.L.Lang
	}
	var rd reader.Reader
	if cur, s, err := c.Sessions.Current(r); err == nil {
		rd = cur
		d.Viewer = &viewer{ID: cur.ID, Name: cur.DisplayName, CSRF: s.CSRF}
	}
	pol, err := c.Service.Policy(ctx)
	if err != nil {
		return d, err
	}
	d.Policy = pol
	if d.Viewer != nil {
		d.Viewer.PolicyOK = rd.PolicyVersion == pol.Version
	}
	set, err := c.Service.Settings(ctx)
	if err != nil {
		return d, err
	}
	d.MaxLength, d.EditWindow = set.MaxLength, secondsOf(set.EditWindow)
	if d.Mode, err = c.Service.Mode(ctx, a.ID); err != nil {
		return d, err
	}
	if d.Page, err = c.Service.List(ctx, a.ID, sort, offset, rd.ID); err != nil {
		return d, err
	}
	if d.Page.More {
		d.NextOffset = d.Page.Offset + len(d.Page.Comments)
	}
	if d.Viewer == nil && c.Buttons != nil {
		d.Buttons = c.Buttons(a.URL() + "/comments")
	}
	return d, nil
}

// signedIn returns the reader of a form post after checking the form's
// CSRF token; ok is false when it already answered.
func (h *Handler) signedIn(w http.ResponseWriter, r *http.Request) (reader.Reader, bool) {
	lang, _ := h.chosenLang(r)
	if h.comments == nil {
		h.serveError(w, r, lang, errNotFound)
		return reader.Reader{}, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		h.formError(w, r, http.StatusRequestEntityTooLarge, h.catalog.For(lang).T("err_form_too_large"))
		return reader.Reader{}, false
	}
	rd, s, err := h.comments.Sessions.Current(r)
	if err != nil && !errors.Is(err, reader.ErrSignedOut) {
		h.serveError(w, r, lang, err)
		return reader.Reader{}, false
	}
	if err != nil {
		h.formError(w, r, http.StatusUnauthorized, h.catalog.For(lang).T("err_signed_out"))
		return reader.Reader{}, false
	}
	if !s.CheckCSRF(r.PostForm.Get("csrf")) {
		h.formError(w, r, http.StatusForbidden, h.catalog.For(lang).T("err_csrf"))
		return reader.Reader{}, false
	}
	return rd, true
}

// maxForm bounds a form post: a comment of 250 characters is at most
// about 4 KB even in the widest script, URL-encoded three times over.
const maxForm = 64 << 10

// formError answers a refused form post with the comments page (when the
// post was about an article's comments) or a plain error page.
func (h *Handler) formError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if r.PathValue("id") != "" && strings.HasPrefix(r.URL.Path, "/article/") {
		h.renderComments(w, r, status, msg, "", r.PostForm.Get("body"))
		return
	}
	h.messagePage(w, r, status, msg)
}

// postComment takes the comment form: on success it redirects to the new
// comment (POST, then redirect, then GET: reloading never posts twice).
func (h *Handler) postComment(w http.ResponseWriter, r *http.Request) {
	rd, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	parent, _ := strconv.ParseInt(r.PostForm.Get("parent_id"), 10, 64)
	c, err := h.comments.Service.Post(r.Context(), rd, comment.PostInput{ArticleID: id, ParentID: parent,
		Body: r.PostForm.Get("body"), IP: request.ClientIP(r)})
	if err != nil {
		h.refused(w, r, err, r.PostForm.Get("body"))
		return
	}
	a, err := h.store.Article(r.Context(), id)
	if err != nil {
		h.serveError(w, r, h.lang(r), err)
		return
	}
	target := a.URL() + "/comments?sort=" + string(comment.ParseSort(r.PostForm.Get("sort")))
	if lang, ok := h.chosenLang(r); ok {
		target += "&lang=" + lang
	}
	http.Redirect(w, r, target+"#c"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

// refused shows why a comment action was refused, with the status the
// refusal deserves; anything that is not a refusal is a server error.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, err error, draft string) {
	var rf *comment.Refusal
	if !errors.As(err, &rf) {
		h.serveError(w, r, h.lang(r), err)
		return
	}
	status := refusalStatus(rf)
	if rf.Kind == comment.KindLimited {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(rf.RetryAfter.Seconds()+0.999))))
	}
	msg := h.refusalText(r, rf)
	if strings.HasPrefix(r.URL.Path, "/article/") {
		h.renderComments(w, r, status, msg, "", draft)
		return
	}
	h.messagePage(w, r, status, msg)
}

func refusalStatus(rf *comment.Refusal) int {
	switch rf.Kind {
	case comment.KindForbidden, comment.KindClosed:
		return http.StatusForbidden
	case comment.KindPolicy:
		return http.StatusPreconditionRequired
	case comment.KindLimited:
		return http.StatusTooManyRequests
	case comment.KindNotFound:
		return http.StatusNotFound
	case comment.KindConflict:
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// refusalText is a refusal in the reader's language. A refusal without a
// translated message keeps the service's English sentence.
func (h *Handler) refusalText(r *http.Request, rf *comment.Refusal) string {
	l := h.catalog.For(h.lang(r))
	id := "err_" + rf.Code
	msg := l.T(id, "Limit", rf.Limit, "Length", rf.Length, "Over", rf.Length-rf.Limit, "Wait", waitText(l, rf.RetryAfter))
	if msg == id {
		msg = rf.Message
	}
	if rf.Rule.Number != 0 {
		msg += " " + l.T("rule_cited", "Number", rf.Rule.Number, "Text", rf.Rule.Text)
	}
	return msg
}

// back is where a form on the comments block returns to: a same-site
// comments page, never anywhere else.
func back(r *http.Request, commentID int64) string {
	b := r.PostForm.Get("back")
	u, err := url.Parse(b)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/article/") || strings.HasPrefix(b, "//") {
		b = "/"
	}
	if commentID != 0 && b != "/" {
		b += fmt.Sprintf("#c%d", commentID)
	}
	return b
}

// commentAction handles the small forms under a comment: react, report,
// edit and delete.
func (h *Handler) commentAction(w http.ResponseWriter, r *http.Request) {
	rd, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	ctx, svc, f := r.Context(), h.comments.Service, r.PostForm
	var err error
	switch r.PathValue("action") {
	case "reaction":
		v, convErr := strconv.Atoi(f.Get("value"))
		if convErr != nil {
			v = 99 // refused by the service with a clear message
		}
		_, _, err = svc.React(ctx, rd, id, v, request.ClientIP(r))
	case "report":
		err = svc.Report(ctx, rd, id, f.Get("reason"))
	case "edit":
		_, err = svc.Edit(ctx, rd, id, f.Get("body"))
	case "delete":
		err = svc.Delete(ctx, rd, id)
		id = 0
	default:
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.refused(w, r, err, "")
		return
	}
	http.Redirect(w, r, back(r, id), http.StatusSeeOther)
}
