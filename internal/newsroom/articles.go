package newsroom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/comment"
	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
	"broadsheet/internal/media"
	"broadsheet/internal/section"
)

// ArticleService is the part of *article.Service the editor uses; it
// checks roles and fields itself, as it does for the JSON API, and keeps
// the audit log and the revisions.
type ArticleService interface {
	Get(ctx context.Context, actor account.Staff, id int64) (article.Article, error)
	List(ctx context.Context, actor account.Staff, q article.ListQuery) ([]article.Article, error)
	Count(ctx context.Context, actor account.Staff, q article.ListQuery) (int, error)
	Create(ctx context.Context, actor account.Staff, in article.Input) (article.Article, error)
	Update(ctx context.Context, actor account.Staff, id int64, in article.Input, version int) (article.Article, error)
	CreatePaired(ctx context.Context, actor account.Staff, in article.Input, t *article.Translation) (article.Article, error)
	UpdatePaired(ctx context.Context, actor account.Staff, id int64, in article.Input, version int, t *article.Translation) (article.Article, error)
	SetStatus(ctx context.Context, actor account.Staff, id int64, st article.Status) (article.Article, error)
	Submit(ctx context.Context, actor account.Staff, id int64, version int) (article.Article, error)
	Schedule(ctx context.Context, actor account.Staff, id int64, at time.Time, version int) (article.Article, error)
	AddCorrection(ctx context.Context, actor account.Staff, id int64, text string) (article.Correction, error)
	Revisions(ctx context.Context, actor account.Staff, id int64) (article.Article, []article.Revision, error)
	Revision(ctx context.Context, actor account.Staff, id int64, version int) (article.Revision, error)
	Restore(ctx context.Context, actor account.Staff, id int64, version, current int) (article.Article, error)
	Preview(ctx context.Context, actor account.Staff, id int64, in article.Input) (article.Article, error)
	SetTranslation(ctx context.Context, actor account.Staff, id int64, t article.Translation) (article.Article, error)
}

// maxArticleForm bounds the editor's form: the longest body (512 KiB of
// Markdown) encoded as a form, with room for the other fields.
const maxArticleForm = 2 << 20

// editorPage is the article editor: a new article when Article.ID is 0.
type editorPage struct {
	page
	Article    article.Article
	Form       form
	Sections   []section.Section
	Tags       []string // for the tags field's suggestions
	Clash      []article.FieldDiff
	ClashWith  int // the version someone else saved
	Saved      bool
	Notice     string
	CanEdit    bool
	CanUpload  bool   // an image library is set up
	ScheduleAt string // the schedule field's value, in the site's zone
	// Counterpart is the article's version in the other language, named
	// beside its number; zero when there is none or the editor may not
	// read it.
	Counterpart article.Article
	TimeZone    string // the site's zone, for the times the script writes
}

// articlePath is the editor's address for an article, or for a new one.
func articlePath(id int64) string {
	if id == 0 {
		return "/newsroom/articles/new"
	}
	return fmt.Sprintf("/newsroom/articles/%d", id)
}

// GET /newsroom/articles/new — the editor for a new article.
// The byline starts as the person writing: the article service needs an
// author, and with one the first autosave can create the draft as soon as
// the headline and the text are written.
func (h *handler) newArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a := article.Article{Status: article.Draft}
	if v.Staff.Name != "" && v.Staff.Email != "" {
		a.Authors = []author.Author{{Name: v.Staff.Name, Email: v.Staff.Email}}
	}
	h.renderEditor(w, r, v, http.StatusOK, editorPage{Article: a})
}

// GET /newsroom/articles/{id} — the editor for an article.
func (h *handler) editArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, ok := h.loadArticle(w, r, v)
	if !ok {
		return
	}
	p := editorPage{Article: a}
	switch r.URL.Query().Get("done") {
	case "saved", "submit", "schedule", "publish", "unpublish", "draft", "correct", "restore":
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
	p.Scripts = h.scriptURLs("editor.js", "editor-preview.js", "editor-images.js", "editor-tokens.js")
	p.CanUpload = h.cfg.Media != nil
	p.TimeZone = v.L.tz.String()
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
	if id := p.Article.CounterpartID; id != 0 {
		p.Counterpart, err = h.articles.Get(r.Context(), v.Staff, id)
		if err != nil && !errors.Is(err, article.ErrNotFound) {
			h.serverError(w, r, v.L, err)
			return
		}
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

// POST /newsroom/articles/{id} — save the editor's form (the Preview
// button posts to /newsroom/preview instead). A request from the editor's
// script (X-Autosave: 1) is answered with JSON.
func (h *handler) updateArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, ok := h.loadArticle(w, r, v)
	if !ok {
		return
	}
	h.saveArticle(w, r, v, a)
}

func (h *handler) saveArticle(w http.ResponseWriter, r *http.Request, v *visit, a article.Article) {
	autosave := r.Header.Get("X-Autosave") == "1"
	saved, ok := h.saveForm(w, r, v, a, autosave)
	if !ok {
		return
	}
	if autosave {
		h.autosaveAnswer(w, v, http.StatusOK, v.L.T("newsroom_article_autosaved", "Time", v.L.DateTime(saved.UpdatedAt)), saved)
		return
	}
	http.Redirect(w, r, v.L.URL(articlePath(saved.ID)+"?done=saved"), http.StatusSeeOther)
}

// saveForm saves the editor's form over a (creates it when a.ID is 0),
// with the lead image file when one was chosen. A refusal is answered
// here, showing the editor again with what was typed (or, for the
// script's autosave, JSON); ok is false then.
func (h *handler) saveForm(w http.ResponseWriter, r *http.Request, v *visit, a article.Article, autosave bool) (article.Article, bool) {
	in, errs := articleInput(r, a)
	if len(errs) > 0 {
		h.refuseArticle(w, r, v, a, http.StatusUnprocessableEntity, errs, autosave)
		return article.Article{}, false
	}
	version := formVersion(r)
	if a.ID != 0 && version <= 0 {
		h.refuseArticle(w, r, v, a, http.StatusUnprocessableEntity, map[string]string{"": v.L.T("newsroom_article_no_version")}, autosave)
		return article.Article{}, false
	}
	if fh := leadImageFile(r); fh != nil {
		url, ok := h.takeLeadImage(w, r, v, a, in.LeadImage, fh, autosave)
		if !ok {
			return article.Article{}, false
		}
		in.LeadImage.URL = url
	}
	// The language and counterpart are saved with the rest, in one
	// transaction: a refused pair saves nothing, a clash pairs nothing.
	t, pairChanged, pairErrs := formTranslation(r, a)
	if len(pairErrs) > 0 {
		h.refuseArticle(w, r, v, a, http.StatusUnprocessableEntity, pairErrs, autosave)
		return article.Article{}, false
	}
	var pair *article.Translation
	if pairChanged {
		pair = &t
	}
	var saved article.Article
	var err error
	if a.ID == 0 {
		saved, err = h.articles.CreatePaired(r.Context(), v.Staff, in, pair)
	} else {
		saved, err = h.articles.UpdatePaired(r.Context(), v.Staff, a.ID, in, version, pair)
	}
	var ve article.ValidationError
	switch {
	case errors.Is(err, article.ErrVersionClash):
		h.versionClash(w, r, v, a.ID, in, version, autosave)
		return article.Article{}, false
	case errors.As(err, &ve):
		h.refuseArticle(w, r, v, a, http.StatusUnprocessableEntity, fieldErrors(v.L, ve), autosave)
		return article.Article{}, false
	case err != nil:
		if autosave {
			h.autosaveAnswer(w, v, response.Status(err), v.L.T("newsroom_article_autosave_failed"), article.Article{})
			return article.Article{}, false
		}
		h.fail(w, r, v, err)
		return article.Article{}, false
	}
	if err := h.saveCommentMode(r, v, saved); err != nil {
		h.fail(w, r, v, err)
		return article.Article{}, false
	}
	return saved, true
}

// leadImageFile is the file chosen in the editor's lead-image field, or
// nil: a browser sends an empty part when none was chosen.
func leadImageFile(r *http.Request) *multipart.FileHeader {
	if r.MultipartForm == nil {
		return nil
	}
	files := r.MultipartForm.File["lead_image_file"]
	if len(files) == 0 || files[0].Size == 0 && files[0].Filename == "" {
		return nil
	}
	return files[0]
}

// takeLeadImage stores the chosen lead image before the article is saved
// and returns its address. It goes into the media library as the
// library's own uploads do (media.Catalog.Upload), with the form's alt
// text, caption and credit as the image's details, and is refused in the
// same words. The form's image_url is set to it, so that if the save is
// then refused the editor shows the uploaded image and the next save
// keeps it: the upload is never lost with the refusal.
func (h *handler) takeLeadImage(w http.ResponseWriter, r *http.Request, v *visit, a article.Article, lead article.Image, fh *multipart.FileHeader, autosave bool) (string, bool) {
	refuse := func(status int, field, msg string) (string, bool) {
		h.refuseArticle(w, r, v, a, status, map[string]string{field: msg}, autosave)
		return "", false
	}
	if h.cfg.Media == nil {
		return refuse(http.StatusUnprocessableEntity, "lead_image_file", v.L.T("newsroom_editor_no_uploads"))
	}
	if a.ID != 0 && !article.Allows(v.Staff, article.ActEdit, a) { // before the image is stored, so a refusal stores nothing
		h.fail(w, r, v, article.ErrForbidden)
		return "", false
	}
	if strings.TrimSpace(lead.Alt) == "" {
		return refuse(http.StatusUnprocessableEntity, "image_alt", v.L.T("newsroom_image_alt_missing"))
	}
	f, err := fh.Open()
	if err != nil {
		return refuse(http.StatusBadRequest, "lead_image_file", v.L.T("newsroom_image_unreadable"))
	}
	defer f.Close()
	im, err := h.cfg.Media.Upload(r.Context(), v.Staff, f, media.Details{Alt: lead.Alt, Caption: lead.Caption, Credit: lead.Credit}, true)
	switch {
	case err == nil:
		r.PostForm.Set("image_url", im.URL())
		return im.URL(), true
	case r.Context().Err() != nil:
		return "", false // the client went away while the upload waited: nobody to answer
	}
	status, msg, field := h.mediaRefusal(r, v, err)
	if status == 0 {
		h.serverError(w, r, v.L, err)
		return "", false
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(int(media.RetryAfter/time.Second)))
	}
	// The library's fields are the lead image's on the editor's form.
	return refuse(status, leadImageField[field], msg)
}

// leadImageField names, for each field of a library upload's refusal,
// the editor form's field it came from.
var leadImageField = map[string]string{"image": "lead_image_file", "alt": "image_alt", "caption": "image_caption",
	"credit": "image_credit", "form": "lead_image_file"}

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
		h.autosaveAnswer(w, v, status, v.L.T("newsroom_article_autosave_refused"), article.Article{})
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
		h.autosaveAnswer(w, v, http.StatusConflict, msg, article.Article{})
		return
	}
	mine := article.SnapshotOf(current)
	mine.Headline, mine.Deck, mine.Body, mine.Tags = in.Headline, in.Deck, in.Body, in.Tags
	mine.Authors, mine.LeadImage, mine.SEOTitle, mine.SEODescription = in.Authors, in.LeadImage, in.SEOTitle, in.SEODescription
	mine.LeadImage.Srcset, mine.LeadImage.Width, mine.LeadImage.Height = current.LeadImage.Srcset, current.LeadImage.Width, current.LeadImage.Height
	// The form shows the typed text drawn from the version now saved, so
	// that saving it again (having compared) replaces theirs on purpose.
	vals := url.Values{}
	for k, vs := range r.PostForm {
		vals[k] = vs
	}
	vals.Set("version", strconv.Itoa(current.Version))
	p := editorPage{Article: current, Form: form{Name: "article", Values: vals, Errors: map[string]string{"": msg}},
		Clash: article.Diff(article.SnapshotOf(current), mine), ClashWith: current.Version}
	h.renderEditor(w, r, v, http.StatusConflict, p)
}

// autosaveAnswer is the JSON the editor's script reads after an autosave:
// for a saved article its id, version and editor address, which the
// script adopts when the autosave created the draft.
func (h *handler) autosaveAnswer(w http.ResponseWriter, v *visit, status int, message string, saved article.Article) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	ans := struct {
		Message string `json:"message"`
		Version int    `json:"version"`
		ID      int64  `json:"id,omitempty"`
		URL     string `json:"url,omitempty"`
	}{Message: message, Version: saved.Version, ID: saved.ID}
	if saved.ID != 0 {
		ans.URL = v.L.URL(articlePath(saved.ID))
	}
	_ = json.NewEncoder(w).Encode(ans)
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
