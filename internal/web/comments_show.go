package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"broadsheet/internal/article"
	"broadsheet/internal/auth/social"
	"broadsheet/internal/comment"
	"broadsheet/internal/http/request"
	"broadsheet/internal/i18n"
	"broadsheet/internal/reader"
)

// The comments of an article live at /article/{id}/comments, apart from
// the article page: the article stays in the page cache for everyone
// while the comments, which differ for each signed-in reader and change
// by the second, are rendered on every request. With JavaScript the
// article page loads this block (?partial=1) into itself and every form
// in it posts with fetch, asking for JSON; without it, the article links
// here and the forms post, then redirect back to the page they came from.

// showComments is the comments page or, with ?partial=1, the block alone.
func (h *Handler) showComments(w http.ResponseWriter, r *http.Request) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	h.renderComments(w, r, id, http.StatusOK, formState{})
}

// renderComments draws an article's comments with the state of a refused
// form: its message next to it and the reader's text kept in it.
func (h *Handler) renderComments(w http.ResponseWriter, r *http.Request, articleID int64, status int, st formState) {
	lang, explicit := h.chosenLang(r)
	if h.comments == nil {
		h.serveError(w, r, lang, errNotFound)
		return
	}
	base, err := h.layout(r, lang)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	base.L.explicit = explicit
	a, err := h.store.Article(r.Context(), articleID)
	if err == nil && a.Status != article.Published {
		err = errNotFound
	}
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	partial := r.URL.Query().Get("partial") == "1"
	d, err := h.commentsData(r, base, a)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	d.Error, d.ErrorAt, d.Draft, d.DraftLength, d.ReportRule = st.Error, st.At, st.Draft, comment.Length(st.Draft), st.Rule
	if d.ErrorAt != "" && !d.hasForm(d.ErrorAt) {
		d.ErrorAt = "" // its form is not on this page: the message goes above the comments
	}
	var body []byte
	if partial {
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
	if d.Viewer != nil {
		h.comments.Sessions.KeepHint(w, r, d.Viewer.session)
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
	d.Self = base.L.URL(a.URL() + "/comments?sort=" + string(sort))
	// The block alone is shown inside the article page, so that is where
	// its forms return to when a script fails; the comments page is its
	// own return point.
	d.Back = d.Self
	if offset > 0 {
		d.Back += "&offset=" + strconv.Itoa(offset) // the page of comments the reader is on
	}
	if q.Get("partial") == "1" {
		d.Back = base.L.URL(a.URL())
	}
	var rd reader.Reader
	if cur, s, err := c.Sessions.Current(r); err == nil {
		rd = cur
		d.Viewer = &viewer{ID: cur.ID, Name: cur.DisplayName, CSRF: s.CSRF, session: s}
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
		// After logging in the reader comes back to the comments where
		// they were reading them.
		d.Buttons = c.Buttons(d.Back + "#comments")
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

// wantsJSON tells the script's fetch, which asks for JSON, from a form
// posted by the browser itself.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// formAnswer is what the script gets back from a comment form: what to
// show and where, or why the action was refused.
type formAnswer struct {
	ID     int64  `json:"id,omitempty"`     // the comment to show the notice at
	Notice string `json:"notice,omitempty"` // a sentence saying what happened
	Error  string `json:"error,omitempty"`
	Code   string `json:"code,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v formAnswer) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// formError answers a refused form post: to the script in JSON, to a
// form without one with the comments page showing the message at the form
// (when the post was about an article's comments) or a plain error page.
func (h *Handler) formError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	h.refuseForm(w, r, status, formState{Error: msg}, "")
}

// refuseForm answers a refused form with st at the form that was posted.
func (h *Handler) refuseForm(w http.ResponseWriter, r *http.Request, status int, st formState, code string) {
	if wantsJSON(r) {
		writeJSON(w, status, formAnswer{Error: st.Error, Code: code})
		return
	}
	st.At = formName(r)
	if articleID := commentsArticle(r); articleID != 0 && h.publishedArticle(r, articleID) {
		if st.At == "comment" || strings.HasPrefix(st.At, "reply-") || strings.HasPrefix(st.At, "edit-") {
			st.Draft = r.PostForm.Get("body")
		}
		h.renderComments(w, r, articleID, status, st)
		return
	}
	h.messagePage(w, r, status, st.Error)
}

// publishedArticle reports whether the article is published, for a
// refusal to be shown on its comments page rather than on a page of its own.
func (h *Handler) publishedArticle(r *http.Request, id int64) bool {
	a, err := h.store.Article(r.Context(), id)
	return err == nil && a.Status == article.Published
}

// commentsArticle is the article whose comments a form post was about:
// the one in its path for a new comment, else the one on the page the
// form came back from; 0 when neither says.
func commentsArticle(r *http.Request) int64 {
	if strings.HasPrefix(r.URL.Path, "/article/") {
		id, _ := request.PathInt64(r, "id")
		return id
	}
	if b := backTarget(r.PostForm.Get("back")); b != "" {
		parts := strings.SplitN(strings.TrimPrefix(b, "/article/"), "/", 2)
		id, err := strconv.ParseInt(parts[0], 10, 64)
		if err == nil && id > 0 {
			return id
		}
	}
	return 0
}

// formName names the form a post came from, as the template marks the
// form to show an error at: "comment", "reply-<parent>", or the action
// and the comment, "report-<id>".
func formName(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/article/") {
		if p := r.PostForm.Get("parent_id"); p != "" && p != "0" {
			if _, err := strconv.ParseInt(p, 10, 64); err == nil {
				return "reply-" + p
			}
		}
		return "comment"
	}
	if id, ok := request.PathInt64(r, "id"); ok {
		return r.PathValue("action") + "-" + strconv.FormatInt(id, 10)
	}
	return ""
}

// backTarget is where a comment form returns to without JavaScript: a
// same-site path by the one rule every redirect of the site follows
// (social.SafeNext), and then only an article or its comments page,
// without a fragment (the comment's is added), or "" for anything else.
func backTarget(raw string) string {
	if raw == "" || social.SafeNext(raw) != raw || strings.Contains(raw, "#") {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || !strings.HasPrefix(u.Path, "/article/") {
		return ""
	}
	return raw
}

// succeeded answers a form that did what it asked: the script gets the
// notice in JSON, a form without one goes back to the page it came from
// at the comment (POST, redirect, GET: reloading never posts twice).
func (h *Handler) succeeded(w http.ResponseWriter, r *http.Request, fallback string, commentID int64, notice string) {
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, formAnswer{ID: commentID, Notice: notice})
		return
	}
	target := backTarget(r.PostForm.Get("back"))
	if target == "" {
		target = fallback
	}
	switch {
	case target == "/":
	case commentID != 0:
		target += "#c" + strconv.FormatInt(commentID, 10)
	default:
		target += "#comments"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// postComment takes the comment and reply forms.
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
		h.refused(w, r, err)
		return
	}
	a, err := h.store.Article(r.Context(), id)
	if err != nil {
		h.serveError(w, r, h.lang(r), err)
		return
	}
	fallback := a.URL() + "/comments?sort=" + string(comment.ParseSort(r.PostForm.Get("sort")))
	if lang, ok := h.chosenLang(r); ok {
		fallback += "&lang=" + lang
	}
	l := h.catalog.For(h.lang(r))
	notice := l.T("comment_posted")
	if c.Status == comment.Held {
		notice = l.T("comment_posted_held")
	}
	h.succeeded(w, r, fallback, c.ID, notice)
}

// refused shows why a comment action was refused, with the status the
// refusal deserves; anything that is not a refusal is a server error.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, err error) {
	var rf *comment.Refusal
	if !errors.As(err, &rf) {
		h.serveError(w, r, h.lang(r), err)
		return
	}
	if rf.Kind == comment.KindLimited {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(rf.RetryAfter.Seconds()+0.999))))
	}
	rule, _ := strconv.Atoi(r.PostForm.Get("rule"))
	h.refuseForm(w, r, refusalStatus(rf), formState{Error: h.refusalText(r, rf), Draft: r.PostForm.Get("note"), Rule: rule}, rf.Code)
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

// countedRefusals are the refusals whose message counts the limit ("1
// comment", "3 comments"), said through the language's plural rules.
var countedRefusals = map[string]bool{"per_day": true, "per_article": true, "reactions_per_day": true}

// refusalText is a refusal in the reader's language. A refusal without a
// translated message keeps the service's English sentence.
func (h *Handler) refusalText(r *http.Request, rf *comment.Refusal) string {
	return refusalIn(h.catalog.For(h.lang(r)), rf)
}

// refusalIn is a refusal in l's language.
func refusalIn(l *i18n.Translator, rf *comment.Refusal) string {
	id := "err_" + rf.Code
	args := []any{"Limit", rf.Limit, "Length", rf.Length, "Over", rf.Length - rf.Limit, "Wait", waitText(l, rf.RetryAfter)}
	var msg string
	if countedRefusals[rf.Code] {
		msg = l.N(id, rf.Limit, args...)
	} else {
		msg = l.T(id, args...)
	}
	if msg == id {
		msg = rf.Message
	}
	if rf.Rule.Number != 0 {
		msg += " " + l.T("rule_cited", "Number", rf.Rule.Number, "Text", rf.Rule.Text)
	}
	return msg
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
	ctx, svc, f, l := r.Context(), h.comments.Service, r.PostForm, h.catalog.For(h.lang(r))
	var err error
	var notice string
	switch r.PathValue("action") {
	case "reaction":
		v, convErr := strconv.Atoi(f.Get("value"))
		if convErr != nil {
			v = 99 // refused by the service with a clear message
		}
		_, _, err = svc.React(ctx, rd, id, v, request.ClientIP(r))
	case "report":
		rule := 0
		if s := f.Get("rule"); s != "" {
			if rule, err = strconv.Atoi(s); err != nil {
				rule = -1 // not a number: refused by the service as no such rule
			}
		}
		note := f.Get("note")
		if note == "" {
			note = f.Get("reason") // the field's name before rules were chosen
		}
		err = svc.Report(ctx, rd, id, comment.ReportInput{Rule: rule, Note: note})
		notice = l.T("report_sent")
	case "edit":
		_, err = svc.Edit(ctx, rd, id, f.Get("body"))
		notice = l.T("comment_saved")
	case "delete":
		// The form asks first; a post without its confirmation (a stray
		// request) deletes nothing.
		if f.Get("confirm") != "yes" {
			h.refuseForm(w, r, http.StatusUnprocessableEntity, formState{Error: l.T("err_confirm_delete_comment")}, "not_confirmed")
			return
		}
		err = svc.Delete(ctx, rd, id)
		notice = l.T("comment_deleted_notice")
	default:
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.refused(w, r, err)
		return
	}
	if r.PathValue("action") == "delete" && !wantsJSON(r) {
		id = 0 // gone: back to the comments, not to it
	}
	h.succeeded(w, r, "/", id, notice)
}
