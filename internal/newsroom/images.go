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

// staffImageUpload is staff for an image upload, a multipart form: the
// session and the role are checked before the body is read, then the body
// is read within maxImageForm, then staff checks the CSRF token. It is
// the door for uploads of an image alone (the media library's); the
// editor's form, text and image, goes through staffEditorForm.
//
//lint:ignore U1000 kept for the media library's upload form
func (h *handler) staffImageUpload(may func(account.Role) bool, next staffFunc) http.HandlerFunc {
	return h.staffMultipart(may, maxImageForm, maxImageForm, func(l locale) string {
		return l.T("newsroom_image_too_large", "MB", media.DefaultMaxBytes>>20)
	}, next)
}

// staffEditorForm is staff for the article editor's form, plain or
// multipart with the lead image's file: the text within maxArticleForm
// and the file within the image library's limit.
func (h *handler) staffEditorForm(may func(account.Role) bool, next staffFunc) http.HandlerFunc {
	tooLarge := func(l locale) string {
		return l.T("newsroom_editor_form_too_large", "TextMB", maxArticleForm>>20, "ImageMB", media.DefaultMaxBytes>>20)
	}
	return h.staffMultipart(may, maxArticleForm, maxArticleForm+maxImageForm, tooLarge, func(w http.ResponseWriter, r *http.Request, v *visit) {
		if r.MultipartForm != nil {
			// The file's room is the image's: the text alone is held to
			// the plain form's limit.
			var text int
			for k, vs := range r.MultipartForm.Value {
				for _, s := range vs {
					text += len(k) + len(s)
				}
			}
			if text > maxArticleForm {
				h.message(w, r, v.L, v, http.StatusRequestEntityTooLarge, v.L.T("newsroom_form_too_large_title"), tooLarge(v.L))
				return
			}
		}
		next(w, r, v)
	})
}

// staffMultipart is staff for a form that may carry a file. A plain form
// is bounded by plainLimit as staffSized bounds it; a multipart one is
// read within multipartLimit once the session and the role allow it, so a
// stranger's upload is never read, and a body cut off at the limit is
// refused with tooLarge's sentence.
func (h *handler) staffMultipart(may func(account.Role) bool, plainLimit, multipartLimit int64, tooLarge func(locale) string, next staffFunc) http.HandlerFunc {
	plain := h.staffSized(may, plainLimit, next)
	inner := h.staffSized(may, multipartLimit, next)
	return func(w http.ResponseWriter, r *http.Request) {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		st, sess, err := h.current(r)
		if err != nil || mt != "multipart/form-data" {
			plain(w, r) // signed out, or not an upload: staff answers as usual
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
		r.Body = http.MaxBytesReader(w, r.Body, multipartLimit)
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) || errors.Is(err, multipart.ErrMessageTooLarge) {
				h.message(w, r, l, v, http.StatusRequestEntityTooLarge, l.T("newsroom_form_too_large_title"), tooLarge(l))
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

// uploadRefusal is the status and the sentence for an image the library
// refused, in the editor's language; ok is false for an error that is not
// a refusal.
func (h *handler) uploadRefusal(w http.ResponseWriter, r *http.Request, v *visit, err error) (status int, msg string, ok bool) {
	var ue *media.UploadError
	if !errors.As(err, &ue) {
		return 0, "", false
	}
	status, msg = http.StatusUnprocessableEntity, ue.Msg
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
	return status, msg, true
}

// storeLeadImage keeps the file chosen in the editor's lead-image field
// in the image library (checked by content, metadata stripped, resized)
// with its audit entry. The caller has checked that the person may edit
// the article, so a refusal stores nothing.
func (h *handler) storeLeadImage(ctx context.Context, v *visit, fh *multipart.FileHeader) (media.Image, error) {
	f, err := fh.Open()
	if err != nil {
		return media.Image{}, err
	}
	defer f.Close()
	return h.images.SaveRecorded(ctx, v.Staff.ID, f, func(ctx context.Context, im media.Image) error {
		return h.audit.Write(ctx, v.Staff, "image.upload", "image", im.ID, im.URL(), nil,
			map[string]any{"key": im.Key, "width": im.Width, "height": im.Height, "bytes": im.Bytes})
	})
}
