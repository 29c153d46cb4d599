package newsroom

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"broadsheet/internal/account"
	"broadsheet/internal/http/response"
	"broadsheet/internal/media"
)

// MediaCatalog is the media library as *media.Catalog serves it: it checks
// who may change an image and what its details may be, for every door.
type MediaCatalog interface {
	Upload(ctx context.Context, actor account.Staff, r io.Reader, d media.Details, needAlt bool) (media.Image, error)
	List(ctx context.Context, text string, page int) (media.Page, error)
	Get(ctx context.Context, viewer account.Staff, id int64) (media.Image, media.Uses, error)
	Edit(ctx context.Context, actor account.Staff, id int64, d media.Details) (media.Image, error)
	Delete(ctx context.Context, actor account.Staff, id int64) error
}

// mediaRoutes adds the media library's pages and its JSON for scripts.
func (h *handler) mediaRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/media", h.staff(writes, h.showMedia))
	mux.HandleFunc("GET /newsroom/media.json", h.staff(writes, h.mediaJSON))
	mux.HandleFunc("POST /newsroom/media", h.mediaUpload)
	mux.HandleFunc("GET /newsroom/media/{id}", h.staff(writes, h.showMediaItem))
	mux.HandleFunc("POST /newsroom/media/{id}", h.staff(writes, h.editMedia))
	mux.HandleFunc("POST /newsroom/media/{id}/delete", h.staff(writes, h.deleteMedia))
}

// parseMediaTemplates adds the library's two pages.
func parseMediaTemplates(t *templates) error {
	for _, name := range []string{"media", "media_item"} {
		tm, err := template.New(name).Funcs(funcs).Funcs(mediaFuncs).ParseFS(templateFS, "templates/layout.html", "templates/forms.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("newsroom: parse %s: %w", name, err)
		}
		t.byName[name] = tm
	}
	return nil
}

var mediaFuncs = template.FuncMap{
	"mediaThumb": func(im media.Image) string {
		if len(im.Widths) == 0 {
			return ""
		}
		return im.VariantURL(im.Widths[0])
	},
	"mediaMayChange": media.MayChange,
	// mediaSize writes a byte count the way people read file sizes.
	"mediaSize": func(n int64) string {
		switch {
		case n >= 1<<20:
			return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
		case n >= 1<<10:
			return strconv.FormatInt((n+1<<9)>>10, 10) + " KB"
		}
		return strconv.FormatInt(n, 10) + " B"
	},
}

// mediaPath is the library's address, or one image's page.
func mediaPath(id int64) string {
	if id == 0 {
		return "/newsroom/media"
	}
	return "/newsroom/media/" + strconv.FormatInt(id, 10)
}

// wantsJSON tells a script's request (Accept: application/json) from a
// form's.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

type mediaPage struct {
	page
	Query    string
	PageNo   int
	Images   []mediaListed
	Next     string // the next page's address; "" on the last
	Prev     string
	Form     form
	Deleted  bool
	MaxMB    int64
	MaxAlt   int
	MaxCapt  int
	MaxCred  int
	MaxQuery int
}

type mediaListed struct {
	media.Listed
	Uploader string
}

type mediaItemPage struct {
	page
	Image    media.Image
	Uploader string
	Uses     media.Uses
	Form     form
	InUse    media.Uses // the uses that refused a delete
	MayEdit  bool
	Saved    bool
	MaxAlt   int
	MaxCapt  int
	MaxCred  int
}

// mediaVisitPage is visitPage with the language switch leading back to
// back, where a refused form was posted from.
func (h *handler) mediaVisitPage(r *http.Request, v *visit, title, back string) page {
	p := h.visitPage(r, v, title, "media")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		p.SwitchURL = switchTo(v.L, back)
	}
	return p
}

// uploaderName finds the names of the staff who uploaded images, once
// each; a deleted member has none.
func (h *handler) uploaderName(ctx context.Context, names map[int64]string, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	if n, ok := names[id]; ok {
		return n, nil
	}
	st, err := h.store.StaffByID(ctx, id)
	if errors.Is(err, account.ErrNoStaff) {
		names[id] = ""
		return "", nil
	}
	if err != nil {
		return "", err
	}
	names[id] = st.Name
	return st.Name, nil
}

// listQuery reads q and page from the address.
func listQuery(r *http.Request) (string, int, bool) {
	q := r.URL.Query()
	n := 1
	if s := q.Get("page"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			return q.Get("q"), 0, false
		}
	}
	return q.Get("q"), n, true
}

// GET /newsroom/media?q=&page=N — the library: a grid of the newest
// images, a search and an upload form.
func (h *handler) showMedia(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderMedia(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderMedia(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	p := mediaPage{page: h.mediaVisitPage(r, v, v.L.T("newsroom_media_title"), mediaPath(0)), Form: f,
		Deleted: r.Method == http.MethodGet && r.URL.Query().Get("deleted") == "1",
		MaxMB:   media.DefaultMaxBytes >> 20, MaxAlt: media.MaxAlt, MaxCapt: media.MaxCaption, MaxCred: media.MaxCredit, MaxQuery: media.MaxSearch}
	text, n := "", 1
	if r.Method == http.MethodGet {
		var ok bool
		if text, n, ok = listQuery(r); !ok {
			n = 0 // refused by List below, in the page's language
		}
	}
	p.Query, p.PageNo = text, n
	lp, err := h.cfg.Media.List(r.Context(), text, n)
	var fe *media.FieldError
	if errors.As(err, &fe) {
		p.Form = form{Name: "search", Values: r.URL.Query(), Errors: map[string]string{"q": mediaFieldText(v.L, fe)}}
		p.Query, p.PageNo = "", 1
		if status == http.StatusOK {
			status = http.StatusBadRequest
		}
		lp, err = h.cfg.Media.List(r.Context(), "", 1)
	}
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	names := map[int64]string{}
	for _, im := range lp.Images {
		name, err := h.uploaderName(r.Context(), names, im.CreatedBy)
		if err != nil {
			h.serverError(w, r, v.L, err)
			return
		}
		p.Images = append(p.Images, mediaListed{Listed: im, Uploader: name})
	}
	page := func(n int) string {
		q := url.Values{}
		if p.Query != "" {
			q.Set("q", p.Query)
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return v.L.URL(mediaPath(0))
		}
		return v.L.URL(mediaPath(0) + "?" + q.Encode())
	}
	if lp.Next != 0 {
		p.Next = page(lp.Next)
	}
	if p.PageNo > 1 {
		p.Prev = page(p.PageNo - 1)
	}
	h.render(w, r, status, "media", p)
}

// mediaID reads the image id from the address; 0 if it is not one.
func mediaID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// GET /newsroom/media/{id} — one image: its details to edit, where it is
// used, and the delete button.
func (h *handler) showMediaItem(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderMediaItem(w, r, v, http.StatusOK, mediaItemPage{Saved: r.URL.Query().Get("saved") == "1"})
}

func (h *handler) renderMediaItem(w http.ResponseWriter, r *http.Request, v *visit, status int, p mediaItemPage) {
	id := mediaID(r)
	im, uses, err := h.cfg.Media.Get(r.Context(), v.Staff, id)
	if errors.Is(err, media.ErrNotFound) || id == 0 {
		h.message(w, r, v.L, v, http.StatusNotFound, v.L.T("newsroom_not_found_title"), v.L.T("newsroom_media_not_found"))
		return
	}
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	p.page = h.mediaVisitPage(r, v, v.L.T("newsroom_media_item_title"), mediaPath(id))
	p.Image, p.Uses, p.MayEdit = im, uses, media.MayChange(v.Staff, im)
	p.MaxAlt, p.MaxCapt, p.MaxCred = media.MaxAlt, media.MaxCaption, media.MaxCredit
	if p.Uploader, err = h.uploaderName(r.Context(), map[int64]string{}, im.CreatedBy); err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	h.render(w, r, status, "media_item", p)
}

// detailsOf reads the alt text, caption and credit of a form.
func detailsOf(r *http.Request) media.Details {
	return media.Details{Alt: r.PostForm.Get("alt"), Caption: r.PostForm.Get("caption"), Credit: r.PostForm.Get("credit")}
}

// POST /newsroom/media/{id} — change an image's details; a script asking
// for JSON gets the image back.
func (h *handler) editMedia(w http.ResponseWriter, r *http.Request, v *visit) {
	id := mediaID(r)
	im, err := h.cfg.Media.Edit(r.Context(), v.Staff, id, detailsOf(r))
	if err == nil {
		if wantsJSON(r) {
			response.JSON(w, http.StatusOK, mediaImageJSON(im))
			return
		}
		redirect(w, r, v.L, mediaPath(id)+"?saved=1")
		return
	}
	status, msg, field := h.mediaRefusal(r, v, err)
	if status == 0 {
		h.serverError(w, r, v.L, err)
		return
	}
	if wantsJSON(r) || status == http.StatusNotFound {
		h.mediaFail(w, r, v, status, msg)
		return
	}
	h.renderMediaItem(w, r, v, status, mediaItemPage{Form: form{Name: "edit", Values: r.PostForm, Errors: map[string]string{field: msg}}})
}

// POST /newsroom/media/{id}/delete — delete an image no article or page
// uses; refused with the list of those that do.
func (h *handler) deleteMedia(w http.ResponseWriter, r *http.Request, v *visit) {
	err := h.cfg.Media.Delete(r.Context(), v.Staff, mediaID(r))
	if err == nil {
		if wantsJSON(r) {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		redirect(w, r, v.L, mediaPath(0)+"?deleted=1")
		return
	}
	var inUse *media.InUseError
	status, msg, _ := h.mediaRefusal(r, v, err)
	switch {
	case status == 0:
		h.serverError(w, r, v.L, err)
	case wantsJSON(r) || !errors.As(err, &inUse):
		h.mediaFail(w, r, v, status, msg)
	default:
		h.renderMediaItem(w, r, v, status, mediaItemPage{InUse: inUse.Uses,
			Form: form{Name: "delete", Errors: map[string]string{"form": msg}}})
	}
}

// mediaFail answers a refusal alone: JSON for a script, a message page
// for a browser.
func (h *handler) mediaFail(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string) {
	if wantsJSON(r) {
		response.JSON(w, status, map[string]string{"message": msg})
		return
	}
	title := v.L.T("newsroom_refused_title")
	switch status {
	case http.StatusNotFound:
		title = v.L.T("newsroom_not_found_title")
	case http.StatusForbidden:
		title = v.L.T("newsroom_forbidden_title")
	}
	h.message(w, r, v.L, v, status, title, msg)
}

// mediaEditorMessages are the messages editor-images.js shows, given to it
// in the page's language as JSON (mediaEditorText).
var mediaEditorMessages = []string{
	"newsroom_media_js_button", "newsroom_media_js_choose", "newsroom_media_js_failed", "newsroom_media_js_offline",
	"newsroom_media_js_details", "newsroom_media_js_insert", "newsroom_media_js_cancel", "newsroom_media_js_pasted",
	"newsroom_media_js_uploading", "newsroom_media_js_inserted", "newsroom_media_js_loading", "newsroom_media_js_none",
	"newsroom_media_js_lead_done", "newsroom_media_field_alt", "newsroom_media_field_caption", "newsroom_media_field_credit",
	"newsroom_media_search", "newsroom_media_search_button", "newsroom_media_next", "newsroom_media_no_alt",
	"newsroom_media_err_unsupported",
}

// The editor's template writes the script's messages with
// mediaEditorText: every page template may call it.
func init() {
	funcs["mediaEditorText"] = func(l locale) map[string]string {
		out := make(map[string]string, len(mediaEditorMessages))
		for _, id := range mediaEditorMessages {
			out[id] = l.T(id)
		}
		return out
	}
}
