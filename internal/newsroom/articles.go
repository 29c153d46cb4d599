package newsroom

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
	"broadsheet/internal/section"
)

// ArticleService is the part of *article.Service the editor uses; it
// checks roles and fields itself, as it does for the JSON API, and keeps
// the audit log and the revisions.
type ArticleService interface {
	Get(ctx context.Context, actor account.Staff, id int64) (article.Article, error)
	List(ctx context.Context, actor account.Staff, q article.ListQuery) ([]article.Article, error)
	Create(ctx context.Context, actor account.Staff, in article.Input) (article.Article, error)
	Update(ctx context.Context, actor account.Staff, id int64, in article.Input, version int) (article.Article, error)
	SetStatus(ctx context.Context, actor account.Staff, id int64, st article.Status) (article.Article, error)
	Submit(ctx context.Context, actor account.Staff, id int64, version int) (article.Article, error)
	Schedule(ctx context.Context, actor account.Staff, id int64, at time.Time, version int) (article.Article, error)
	AddCorrection(ctx context.Context, actor account.Staff, id int64, text string) (article.Correction, error)
	Revisions(ctx context.Context, actor account.Staff, id int64) (article.Article, []article.Revision, error)
	Revision(ctx context.Context, actor account.Staff, id int64, version int) (article.Revision, error)
	Restore(ctx context.Context, actor account.Staff, id int64, version, current int) (article.Article, error)
}

// maxArticleForm bounds the editor's form: the longest body (512 KiB of
// Markdown) encoded as a form, with room for the other fields.
const maxArticleForm = 2 << 20

// articlesPageSize is how many articles the list shows at once.
const articlesPageSize = 30

type articlesPage struct {
	page
	Status   string // the tab: "", draft, review, scheduled, published
	Tabs     []string
	Articles []article.Article
	Sections map[int64]string
	Next     string
}

// GET /newsroom/articles?status=S&after=CURSOR — the articles a staff
// member may edit, newest first: all for editors, their own for reporters.
func (h *handler) showArticles(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	p := articlesPage{page: h.visitPage(r, v, v.L.T("newsroom_articles_title"), "articles"),
		Tabs: []string{"", "draft", "review", "scheduled", "published"}}
	lq := article.ListQuery{Limit: articlesPageSize + 1}
	if st := article.Status(q.Get("status")); st.Valid() {
		lq.Status, p.Status = st, string(st)
	}
	if after := q.Get("after"); after != "" {
		c, err := article.ParseCursor(after)
		if err != nil {
			h.message(w, r, v.L, v, http.StatusBadRequest, v.L.T("newsroom_refused_title"), v.L.T("newsroom_bad_cursor"))
			return
		}
		lq.After = c
	}
	list, err := h.articles.List(r.Context(), v.Staff, lq)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if len(list) > articlesPageSize {
		list = list[:articlesPageSize]
		last := list[len(list)-1]
		at := last.PublishedAt
		if at.IsZero() || lq.Status != article.Published && last.PublishedAt.IsZero() {
			at = last.CreatedAt
		}
		next := "/newsroom/articles?after=" + article.Cursor{PublishedAt: at, ID: last.ID}.String()
		if p.Status != "" {
			next += "&status=" + p.Status
		}
		p.Next = v.L.URL(next)
	}
	p.Articles = list
	secs, err := h.store.Sections(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	p.Sections = map[int64]string{}
	for _, s := range secs {
		p.Sections[s.ID] = s.Path
	}
	h.render(w, r, http.StatusOK, "articles", p)
}

// editorPage is the article editor: a new article when Article.ID is 0.
type editorPage struct {
	page
	Article    article.Article
	Form       form
	Sections   []section.Section
	Tags       []string      // for the tags field's suggestions
	Preview    template.HTML // the body as the article page shows it, after a preview request
	Clash      []article.FieldDiff
	ClashWith  int // the version someone else saved
	Saved      bool
	Notice     string
	EditorJS   string
	CanEdit    bool
	CanUpload  bool   // an image library is set up
	ScheduleAt string // the schedule field's value, in the site's zone
}

// articlePath is the editor's address for an article, or for a new one.
func articlePath(id int64) string {
	if id == 0 {
		return "/newsroom/articles/new"
	}
	return fmt.Sprintf("/newsroom/articles/%d", id)
}

// GET /newsroom/articles/new — the editor for a new article.
func (h *handler) newArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderEditor(w, r, v, http.StatusOK, editorPage{Article: article.Article{Status: article.Draft}})
}

// GET /newsroom/articles/{id} — the editor for an article.
func (h *handler) editArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, ok := h.loadArticle(w, r, v)
	if !ok {
		return
	}
	p := editorPage{Article: a}
	switch r.URL.Query().Get("done") {
	case "saved", "submit", "schedule", "publish", "unpublish", "draft", "correct", "restore", "image":
		p.Notice = v.L.T("newsroom_article_done_" + r.URL.Query().Get("done"))
	}
	h.renderEditor(w, r, v, http.StatusOK, p)
}

// loadArticle reads the article named in the path for someone the policy
// lets read it; one they may not read is not found, as in the JSON API.
func (h *handler) loadArticle(w http.ResponseWriter, r *http.Request, v *visit) (article.Article, bool) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.message(w, r, v.L, v, http.StatusNotFound, v.L.T("newsroom_not_found_title"), v.L.T("newsroom_not_found"))
		return article.Article{}, false
	}
	a, err := h.articles.Get(r.Context(), v.Staff, id)
	if err != nil {
		h.fail(w, r, v, err)
		return article.Article{}, false
	}
	return a, true
}

func (h *handler) renderEditor(w http.ResponseWriter, r *http.Request, v *visit, status int, p editorPage) {
	title := v.L.T("newsroom_article_new")
	if p.Article.ID != 0 {
		title = v.L.T("newsroom_article_edit", "Headline", p.Article.Headline)
	}
	p.page = h.visitPage(r, v, title, "articles")
	if r.Method == http.MethodPost {
		p.SwitchURL = switchTo(v.L, articlePath(p.Article.ID))
	}
	p.Scripts = h.scriptURLs("editor.js", "editor-images.js")
	p.CanUpload = h.images != nil
	p.CanEdit = article.Allows(v.Staff, article.ActEdit, p.Article)
	if p.Article.Status == article.Scheduled {
		p.ScheduleAt = p.Article.PublishedAt.In(v.L.tz).Format(scheduleLayout)
	}
	var err error
	if p.Sections, err = h.store.Sections(r.Context()); err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	if p.Tags, err = h.store.TagNames(r.Context(), 500); err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	h.render(w, r, status, "article_edit", p)
}

// switchTo is the language switch's address for a page drawn in answer
// to a form: the page the form lives on, in the other language.
func switchTo(l locale, path string) string {
	other := "ko"
	if l.Lang == "ko" {
		other = "en"
	}
	return path + "?lang=" + other
}

// POST /newsroom/articles/new — create an article from the editor.
func (h *handler) createArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	h.saveArticle(w, r, v, article.Article{Status: article.Draft})
}

// POST /newsroom/articles/{id} — save the editor's form; with
// action=preview, show the body as it will appear without saving. A
// request from the editor's script (X-Autosave: 1) is answered with JSON.
func (h *handler) updateArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, ok := h.loadArticle(w, r, v)
	if !ok {
		return
	}
	h.saveArticle(w, r, v, a)
}

func (h *handler) saveArticle(w http.ResponseWriter, r *http.Request, v *visit, a article.Article) {
	in, errs := articleInput(r, a)
	autosave := r.Header.Get("X-Autosave") == "1"
	if r.PostForm.Get("action") == "preview" {
		p := editorPage{Article: a, Form: form{Name: "article", Values: r.PostForm, Errors: errs}}
		html, err := article.RenderMarkdown(in.Body)
		status := http.StatusOK
		var ve article.ValidationError
		switch {
		case errors.As(err, &ve):
			maps.Copy(errs, fieldErrors(v.L, ve))
			status = http.StatusUnprocessableEntity
		case err == nil:
			p.Preview = template.HTML(html) // sanitized by RenderMarkdown, as on the article page
		}
		h.renderEditor(w, r, v, status, p)
		return
	}
	if len(errs) > 0 {
		h.refuseArticle(w, r, v, a, http.StatusUnprocessableEntity, errs, autosave)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	var saved article.Article
	var err error
	if a.ID == 0 {
		saved, err = h.articles.Create(r.Context(), v.Staff, in)
	} else {
		if version <= 0 {
			h.refuseArticle(w, r, v, a, http.StatusUnprocessableEntity, map[string]string{"": v.L.T("newsroom_article_no_version")}, autosave)
			return
		}
		saved, err = h.articles.Update(r.Context(), v.Staff, a.ID, in, version)
	}
	var ve article.ValidationError
	switch {
	case errors.Is(err, article.ErrVersionClash):
		h.versionClash(w, r, v, a.ID, in, version, autosave)
		return
	case errors.As(err, &ve):
		h.refuseArticle(w, r, v, a, http.StatusUnprocessableEntity, fieldErrors(v.L, ve), autosave)
		return
	case err != nil:
		if autosave {
			h.autosaveAnswer(w, response.Status(err), v.L.T("newsroom_article_autosave_failed"), 0)
			return
		}
		h.fail(w, r, v, err)
		return
	}
	if err := h.saveCommentMode(r, v, saved); err != nil {
		h.fail(w, r, v, err)
		return
	}
	if autosave {
		h.autosaveAnswer(w, http.StatusOK, v.L.T("newsroom_article_autosaved", "Time", v.L.DateTime(saved.UpdatedAt)), saved.Version)
		return
	}
	http.Redirect(w, r, v.L.URL(articlePath(saved.ID)+"?done=saved"), http.StatusSeeOther)
}

// saveCommentMode applies the editor's comment mode for the article, for
// the editors and admins who may set it; a form without the field keeps
// the mode.
func (h *handler) saveCommentMode(r *http.Request, v *visit, a article.Article) error {
	if !v.Staff.Role.CanPublish() || !r.PostForm.Has("comment_mode") {
		return nil
	}
	mode, _ := comment.ParseMode(r.PostForm.Get("comment_mode")) // checked by articleInput
	if string(mode) == a.CommentMode {
		return nil
	}
	return h.store.InTx(r.Context(), func(ctx context.Context) error {
		if err := h.comments.SetMode(ctx, "article", a.ID, mode); err != nil {
			return err
		}
		return h.audit.Write(ctx, v.Staff, "article.comment-mode", "article", a.ID, a.Headline,
			map[string]string{"comment_mode": a.CommentMode}, map[string]string{"comment_mode": string(mode)})
	})
}

// refuseArticle shows the editor again with what was typed and why it
// was refused; nothing was saved.
func (h *handler) refuseArticle(w http.ResponseWriter, r *http.Request, v *visit, a article.Article, status int, errs map[string]string, autosave bool) {
	if autosave {
		h.autosaveAnswer(w, status, v.L.T("newsroom_article_autosave_refused"), 0)
		return
	}
	h.renderEditor(w, r, v, status, editorPage{Article: a, Form: form{Name: "article", Values: r.PostForm, Errors: errs}})
}

// versionClash refuses a save made from an older version: someone else
// saved in between. The editor is shown again with the text as typed and
// what differs from the saved version, never overwriting either.
func (h *handler) versionClash(w http.ResponseWriter, r *http.Request, v *visit, id int64, in article.Input, version int, autosave bool) {
	current, err := h.store.Article(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	msg := v.L.T("newsroom_article_clash", "Mine", version, "Theirs", current.Version)
	if autosave {
		h.autosaveAnswer(w, http.StatusConflict, msg, 0)
		return
	}
	mine := article.SnapshotOf(current)
	mine.Headline, mine.Deck, mine.Body, mine.Tags = in.Headline, in.Deck, in.Body, in.Tags
	mine.Authors, mine.LeadImage, mine.SEOTitle, mine.SEODescription = in.Authors, in.LeadImage, in.SEOTitle, in.SEODescription
	mine.LeadImage.Srcset, mine.LeadImage.Width, mine.LeadImage.Height = current.LeadImage.Srcset, current.LeadImage.Width, current.LeadImage.Height
	p := editorPage{Article: current, Form: form{Name: "article", Values: r.PostForm, Errors: map[string]string{"": msg}},
		Clash: article.Diff(article.SnapshotOf(current), mine), ClashWith: current.Version}
	h.renderEditor(w, r, v, http.StatusConflict, p)
}

// autosaveAnswer is the JSON the editor's script reads after an autosave.
func (h *handler) autosaveAnswer(w http.ResponseWriter, status int, message string, version int) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"message":%s,"version":%d}`, strconv.Quote(message), version)
}

// articleInput reads the editor's form. Bylines are one per line as
// "Name <email>"; tags are separated by commas.
func articleInput(r *http.Request, a article.Article) (article.Input, map[string]string) {
	f := r.PostForm
	in := article.Input{
		Headline: f.Get("headline"), Deck: f.Get("deck"), Body: strings.ReplaceAll(f.Get("body"), "\r\n", "\n"),
		Section: f.Get("section"), AlsoIn: f["also_in"], Status: a.Status, PublishedAt: a.PublishedAt,
		LeadImage: article.Image{URL: f.Get("image_url"), Caption: f.Get("image_caption"),
			Credit: f.Get("image_credit"), Alt: f.Get("image_alt")},
		SEOTitle: f.Get("seo_title"), SEODescription: f.Get("seo_description"), Slug: f.Get("slug"),
	}
	if in.Status == "" {
		in.Status = article.Draft
	}
	if a.Status != article.Published && a.Status != article.Scheduled {
		in.PublishedAt = time.Time{}
	}
	errs := map[string]string{}
	if _, err := comment.ParseMode(f.Get("comment_mode")); err != nil {
		errs["comment_mode"] = "must be one of the listed modes"
	}
	for _, t := range strings.Split(f.Get("tags"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			in.Tags = append(in.Tags, t)
		}
	}
	for n, line := range strings.Split(strings.ReplaceAll(f.Get("authors"), "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		addr, err := mail.ParseAddress(line)
		if err != nil || addr.Name == "" {
			errs["authors"] = fmt.Sprintf("line %d: write each author as Name <email@example.com>", n+1)
			continue
		}
		in.Authors = append(in.Authors, article.Byline{Name: addr.Name, Email: addr.Address})
	}
	return in, errs
}

// fieldErrors maps the service's field names to the form's.
func fieldErrors(l locale, ve article.ValidationError) map[string]string {
	names := map[string]string{"lead_image.url": "image_url", "lead_image.alt": "image_alt",
		"lead_image.caption": "image_caption", "lead_image.credit": "image_credit", "published_at": "publish_at"}
	out := map[string]string{}
	for k, msg := range ve {
		if n, ok := names[k]; ok {
			k = n
		}
		out[k] = l.T("newsroom_field_"+k) + " " + msg
	}
	return out
}
