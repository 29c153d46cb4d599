package newsroom

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/http/request"
	"broadsheet/internal/media"
	"broadsheet/internal/outage"
)

// ImageLibrary keeps uploaded images: it checks them by content, strips
// their metadata and stores resized copies.
type ImageLibrary interface {
	SaveRecorded(ctx context.Context, staffID int64, r io.Reader, record func(ctx context.Context, im media.Image) error) (media.Image, error)
}

// maxImageForm bounds an image upload's whole form: the largest image the
// library accepts, with room for the other fields. A bigger body is cut
// off and refused while it is read, so it never fills the disk.
const maxImageForm = media.DefaultMaxBytes + 1<<20

// staffImageUpload is staff for the lead-image form, a multipart upload:
// the session and the role are checked before the body is read, then the
// body is read within maxImageForm, then staff checks the CSRF token.
func (h *handler) staffImageUpload(may func(account.Role) bool, next staffFunc) http.HandlerFunc {
	inner := h.staffSized(may, maxImageForm, next)
	return func(w http.ResponseWriter, r *http.Request) {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		st, sess, err := h.current(r)
		if err != nil || mt != "multipart/form-data" {
			inner(w, r) // signed out, or not an upload: staff answers as usual
			return
		}
		l, err := h.locale(r)
		if err != nil {
			h.serverError(w, r, l, err)
			return
		}
		v := &visit{Staff: st, Session: sess, L: l}
		if !may(st.Role) {
			h.message(w, r, l, v, http.StatusForbidden, l.T("newsroom_forbidden_title"),
				l.T("newsroom_forbidden", "Role", l.T("newsroom_role_"+string(st.Role))))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxImageForm)
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) || errors.Is(err, multipart.ErrMessageTooLarge) {
				h.message(w, r, l, v, http.StatusRequestEntityTooLarge, l.T("newsroom_form_too_large_title"),
					l.T("newsroom_image_too_large", "MB", media.DefaultMaxBytes>>20))
				return
			}
			h.message(w, r, l, v, http.StatusBadRequest, l.T("newsroom_refused_title"), l.T("newsroom_image_unreadable"))
			return
		}
		defer func() { _ = r.MultipartForm.RemoveAll() }()
		// The upload took part of the request's database deadline.
		r, cancel := outage.Extend(r)
		defer cancel()
		inner(w, r)
	}
}

// POST /newsroom/articles/{id}/image — upload the lead image with its alt
// text, caption and credit. The image is stored first and then set on the
// article as a save (a revision); a refused image stores nothing and a
// refused save leaves only an unused image behind.
func (h *handler) uploadLeadImage(w http.ResponseWriter, r *http.Request, v *visit) {
	a, ok := h.loadArticle(w, r, v)
	if !ok {
		return
	}
	if h.images == nil {
		h.notFound(w, r)
		return
	}
	if !article.Allows(v.Staff, article.ActEdit, a) { // before the image is stored, so a refusal stores nothing
		h.fail(w, r, v, article.ErrForbidden)
		return
	}
	refuse := func(status int, field, msg string) {
		h.renderEditor(w, r, v, status, editorPage{Article: a, Form: form{Name: "image", Values: r.PostForm,
			Errors: map[string]string{field: msg}}})
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["image"]) == 0 {
		refuse(http.StatusUnprocessableEntity, "image", v.L.T("newsroom_image_missing"))
		return
	}
	alt := r.PostForm.Get("alt")
	if alt == "" {
		refuse(http.StatusUnprocessableEntity, "alt", v.L.T("newsroom_image_alt_missing"))
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if version != a.Version {
		h.fail(w, r, v, article.ErrVersionClash)
		return
	}
	f, err := r.MultipartForm.File["image"][0].Open()
	if err != nil {
		refuse(http.StatusBadRequest, "image", v.L.T("newsroom_image_unreadable"))
		return
	}
	defer f.Close()
	// The image and its audit entry are kept together or not at all; the
	// image stays uploaded even if the article then refuses the form.
	im, err := h.images.SaveRecorded(r.Context(), v.Staff.ID, f, func(ctx context.Context, im media.Image) error {
		return h.audit.Write(ctx, v.Staff, "image.upload", "image", im.ID, im.URL(), nil,
			map[string]any{"key": im.Key, "width": im.Width, "height": im.Height, "bytes": im.Bytes})
	})
	var ue *media.UploadError
	switch {
	case errors.As(err, &ue):
		status, msg := http.StatusUnprocessableEntity, ue.Msg
		switch {
		case errors.Is(err, media.ErrTooLarge):
			status = http.StatusRequestEntityTooLarge
		case errors.Is(err, media.ErrBusy):
			status = http.StatusServiceUnavailable
			w.Header().Set("Retry-After", strconv.Itoa(int(media.RetryAfter/time.Second)))
		case errors.Is(err, media.ErrUnavailable):
			h.logger.WarnContext(r.Context(), "image upload refused: the media storage is not answering", "request_id", request.ID(r.Context()), "err", err)
			status = http.StatusServiceUnavailable
			seconds := strconv.Itoa(int(media.RetryAfter / time.Second))
			w.Header().Set("Retry-After", seconds)
			msg = v.L.T("newsroom_image_store_unavailable", "Seconds", seconds)
		}
		refuse(status, "image", msg)
		return
	case r.Context().Err() != nil:
		return // the client went away while the upload waited: nobody to answer
	case err != nil:
		h.serverError(w, r, v.L, err)
		return
	}
	in, err := h.inputOf(r.Context(), a)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	in.LeadImage = article.Image{URL: im.URL(), Alt: alt, Caption: r.PostForm.Get("caption"), Credit: r.PostForm.Get("credit")}
	_, err = h.articles.Update(r.Context(), v.Staff, a.ID, in, version)
	var ve article.ValidationError
	if errors.As(err, &ve) {
		h.renderEditor(w, r, v, http.StatusUnprocessableEntity, editorPage{Article: a, Form: form{Name: "image",
			Values: r.PostForm, Errors: imageFieldErrors(v.L, ve)}})
		return
	}
	h.afterStep(w, r, v, a, err, "image")
}

// imageFieldErrors maps the article's lead-image errors to the upload
// form's fields.
func imageFieldErrors(l locale, ve article.ValidationError) map[string]string {
	out := map[string]string{}
	for k, msg := range fieldErrors(l, ve) {
		switch k {
		case "image_alt":
			k = "alt"
		case "image_caption":
			k = "caption"
		case "image_credit":
			k = "credit"
		default:
			k = "image"
		}
		out[k] = msg
	}
	return out
}

// inputOf is the input that would save a as it is.
func (h *handler) inputOf(ctx context.Context, a article.Article) (article.Input, error) {
	sec, err := h.store.SectionByID(ctx, a.SectionID)
	if err != nil {
		return article.Input{}, err
	}
	in := article.Input{Section: sec.Path, Headline: a.Headline, Deck: a.Deck, Body: a.Body, Status: a.Status, PublishedAt: a.PublishedAt,
		LeadImage: a.LeadImage, Slug: a.Slug, SEOTitle: a.SEOTitle, SEODescription: a.SEODescription}
	for _, au := range a.Authors {
		in.Authors = append(in.Authors, article.Byline{Name: au.Name, Email: au.Email})
	}
	for _, t := range a.Tags {
		in.Tags = append(in.Tags, t.Name)
	}
	for _, id := range a.AlsoIn {
		other, err := h.store.SectionByID(ctx, id)
		if err != nil {
			return article.Input{}, err
		}
		in.AlsoIn = append(in.AlsoIn, other.Path)
	}
	return in, nil
}
