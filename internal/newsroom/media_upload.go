package newsroom

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
	"broadsheet/internal/media"
	"broadsheet/internal/outage"
)

// mediaImage is an image as scripts get it: what an <img> and the
// figure Markdown of an article body need.
type mediaImage struct {
	ID       int64  `json:"id"`
	URL      string `json:"url"`
	Thumb    string `json:"thumb"`
	Srcset   string `json:"srcset"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Alt      string `json:"alt"`
	Caption  string `json:"caption"`
	Credit   string `json:"credit"`
	Markdown string `json:"markdown"`
	Uses     *int   `json:"uses,omitempty"`
}

func mediaImageJSON(im media.Image) mediaImage {
	out := mediaImage{ID: im.ID, URL: im.URL(), Srcset: im.Srcset(), Width: im.Width, Height: im.Height,
		Alt: im.Alt, Caption: im.Caption, Credit: im.Credit, Markdown: media.FigureMarkdown(im.URL(), im.Details)}
	if len(im.Widths) > 0 {
		out.Thumb = im.VariantURL(im.Widths[0])
	}
	return out
}

// GET /newsroom/media.json?q=&page=N — a page of the library for the
// editor's chooser: {"images": […], "next": N or 0}.
func (h *handler) mediaJSON(w http.ResponseWriter, r *http.Request, v *visit) {
	text, n, ok := listQuery(r)
	if !ok {
		n = 0
	}
	lp, err := h.cfg.Media.List(r.Context(), text, n)
	var fe *media.FieldError
	switch {
	case errors.As(err, &fe):
		response.JSON(w, http.StatusBadRequest, map[string]string{"message": mediaFieldText(v.L, fe)})
		return
	case err != nil:
		h.serverError(w, r, v.L, err)
		return
	}
	out := struct {
		Images []mediaImage `json:"images"`
		Next   int          `json:"next"`
	}{Images: []mediaImage{}, Next: lp.Next}
	for _, im := range lp.Images {
		j := mediaImageJSON(im.Image)
		j.Uses = &im.Uses
		out.Images = append(out.Images, j)
	}
	response.JSON(w, http.StatusOK, out)
}

// POST /newsroom/media — upload an image with its alt text, caption and
// credit: multipart fields csrf, image, alt, caption, credit. A script
// (Accept: application/json) gets 201 and the image, or the refusal as
// {"message"}; a form is sent to the image's page, or shown the library
// again with the refusal. The session and the role are checked before the
// body is read, which is cut off past maxImageForm.
func (h *handler) mediaUpload(w http.ResponseWriter, r *http.Request) {
	l, err := h.locale(r)
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	st, sess, err := h.current(r)
	if err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if errors.Is(err, errSignedOut) && wantsJSON(r) {
			response.JSON(w, http.StatusUnauthorized, map[string]string{"message": l.T("newsroom_media_signed_out")})
			return
		}
		h.staff(writes, h.mediaUploadForm)(w, r) // signed out, or not an upload: staff answers as usual
		return
	}
	v := &visit{Staff: st, Session: sess, L: l}
	if !media.MayUpload(st) {
		h.mediaFail(w, r, v, http.StatusForbidden, l.T("newsroom_forbidden", "Role", l.T("newsroom_role_"+string(st.Role))))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxImageForm)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || errors.Is(err, multipart.ErrMessageTooLarge) {
			h.mediaUploadRefused(w, r, v, http.StatusRequestEntityTooLarge, "image", l.T("newsroom_image_too_large", "MB", media.DefaultMaxBytes>>20))
			return
		}
		h.mediaFail(w, r, v, http.StatusBadRequest, l.T("newsroom_image_unreadable"))
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	if !sess.CheckCSRF(r.PostForm.Get("csrf")) {
		h.mediaFail(w, r, v, http.StatusForbidden, l.T("newsroom_csrf"))
		return
	}
	// The upload took part of the request's database deadline.
	r, cancel := outage.Extend(r)
	defer cancel()
	h.mediaUploadForm(w, r, v)
}

// mediaUploadForm saves a parsed upload (see mediaUpload).
func (h *handler) mediaUploadForm(w http.ResponseWriter, r *http.Request, v *visit) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["image"]) == 0 {
		h.mediaUploadRefused(w, r, v, http.StatusUnprocessableEntity, "image", v.L.T("newsroom_image_missing"))
		return
	}
	f, err := r.MultipartForm.File["image"][0].Open()
	if err != nil {
		h.mediaUploadRefused(w, r, v, http.StatusBadRequest, "image", v.L.T("newsroom_image_unreadable"))
		return
	}
	defer f.Close()
	// A form asks for the alt text with the file; the editor's script
	// asks for it right after the upload and saves it then.
	im, err := h.cfg.Media.Upload(r.Context(), v.Staff, f, detailsOf(r), !wantsJSON(r))
	if err == nil {
		if wantsJSON(r) {
			response.JSON(w, http.StatusCreated, mediaImageJSON(im))
			return
		}
		redirect(w, r, v.L, mediaPath(im.ID))
		return
	}
	if r.Context().Err() != nil {
		return // the client went away while the upload waited: nobody to answer
	}
	status, msg, field := h.mediaRefusal(r, v, err)
	if status == 0 {
		h.serverError(w, r, v.L, err)
		return
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(int(media.RetryAfter/time.Second)))
	}
	h.mediaUploadRefused(w, r, v, status, field, msg)
}

// mediaUploadRefused answers a refused upload: JSON for a script, the
// library's page with the upload form's error for a browser.
func (h *handler) mediaUploadRefused(w http.ResponseWriter, r *http.Request, v *visit, status int, field, msg string) {
	if wantsJSON(r) {
		response.JSON(w, status, map[string]string{"message": msg})
		return
	}
	h.renderMedia(w, r, v, status, form{Name: "upload", Values: r.PostForm, Errors: map[string]string{field: msg}})
}

// mediaRefusal turns the library's refusals into a status, a sentence in
// the page's language and the field it is about; status 0 for an error
// that is not a refusal.
func (h *handler) mediaRefusal(r *http.Request, v *visit, err error) (status int, msg, field string) {
	l := v.L
	var fe *media.FieldError
	var inUse *media.InUseError
	var ue *media.UploadError
	switch {
	case errors.As(err, &fe):
		return http.StatusUnprocessableEntity, mediaFieldText(l, fe), fe.Field
	case errors.Is(err, media.ErrNotFound):
		return http.StatusNotFound, l.T("newsroom_media_not_found"), "form"
	case errors.Is(err, media.ErrForbidden):
		return http.StatusForbidden, l.T("newsroom_media_forbidden"), "form"
	case errors.As(err, &inUse):
		return http.StatusConflict, l.T("newsroom_media_in_use", "Count", inUse.Uses.Total()), "form"
	case errors.As(err, &ue):
		seconds := int(media.RetryAfter / time.Second)
		switch {
		case errors.Is(err, media.ErrTooLarge):
			return http.StatusRequestEntityTooLarge, l.T("newsroom_image_too_large", "MB", media.DefaultMaxBytes>>20), "image"
		case errors.Is(err, media.ErrUnsupported):
			return http.StatusUnsupportedMediaType, l.T("newsroom_media_err_unsupported"), "image"
		case errors.Is(err, media.ErrTooManyPixels):
			return http.StatusUnprocessableEntity, l.T("newsroom_media_err_pixels", "MP", media.DefaultMaxPixels/1_000_000, "Side", media.MaxSide), "image"
		case errors.Is(err, media.ErrTooMuchMemory):
			return http.StatusUnprocessableEntity, l.T("newsroom_media_err_memory"), "image"
		case errors.Is(err, media.ErrBusy):
			return http.StatusServiceUnavailable, l.T("newsroom_media_err_busy", "Seconds", seconds), "image"
		case errors.Is(err, media.ErrUnavailable):
			h.logger.WarnContext(r.Context(), "image upload refused: the media storage is not answering", "request_id", request.ID(r.Context()), "err", err)
			return http.StatusServiceUnavailable, l.T("newsroom_image_store_unavailable", "Seconds", strconv.Itoa(seconds)), "image"
		}
		return http.StatusUnprocessableEntity, l.T("newsroom_media_err_corrupt"), "image"
	}
	return 0, "", ""
}

// mediaFieldText is a refused field's sentence.
func mediaFieldText(l locale, fe *media.FieldError) string {
	name := l.T("newsroom_media_field_" + fe.Field)
	switch fe.Problem {
	case media.ProblemMissing:
		return l.T("newsroom_media_err_missing", "Field", name)
	case media.ProblemTooLong:
		return l.T("newsroom_media_err_too_long", "Field", name, "Max", fe.Max)
	case media.ProblemBad:
		return l.T("newsroom_media_err_page", "Max", fe.Max)
	}
	return l.T("newsroom_media_err_not_text", "Field", name)
}
