package newsroom

import (
	"errors"
	"mime"
	"mime/multipart"
	"net/http"

	"broadsheet/internal/account"
	"broadsheet/internal/media"
	"broadsheet/internal/outage"
)

// maxImageForm bounds an image upload's whole form: the largest image the
// library accepts, with room for the other fields. A bigger body is cut
// off and refused while it is read, so it never fills the disk.
const maxImageForm = media.DefaultMaxBytes + 1<<20

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
