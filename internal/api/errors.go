package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/comment"
	"broadsheet/internal/glossary"
	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
	"broadsheet/internal/page"
	"broadsheet/internal/reader"
	"broadsheet/internal/section"
)

// The stable error codes of the API. Clients may rely on these; the
// sentences beside them are for people and may change.
const (
	codeMalformed    = "malformed_request"  // 400
	codeUnauthorized = "unauthorized"       // 401
	codeForbidden    = "forbidden"          // 403
	codeNotFound     = "not_found"          // 404
	codeMethod       = "method_not_allowed" // 405
	codeConflict     = "conflict"           // 409
	codeTooLarge     = "request_too_large"  // 413
	codeMediaType    = "unsupported_media"  // 415
	codeInvalid      = "validation_failed"  // 422
	codeInternal     = "internal"           // 500
)

// maxBody bounds every request body. An article's Markdown may be up to
// 512 KiB; JSON escaping can double that.
const maxBody = 1 << 20

// apiError is an error that already knows its status and code.
type apiError struct {
	status  int
	code    string
	message string
	fields  map[string]string

	// For refusals of readers' actions: which rule or limit applied.
	reason     string
	rule       *response.Rule
	retryAfter int
	limit      int

	// readerLogin marks a 401 of a reader route, whose credential is the
	// session cookie: no Bearer challenge.
	readerLogin bool
}

func (e *apiError) Error() string { return e.message }

func badRequest(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, code: codeMalformed, message: fmt.Sprintf(format, args...)}
}

func invalid(field, message string) error {
	return &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid,
		message: "The request is not valid.", fields: map[string]string{field: message}}
}

// invalidFields is a 422 naming each bad field of a thing, or nil when
// fields is empty.
func invalidFields(thing string, fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	return &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid,
		message: "The " + thing + " is not valid.", fields: fields}
}

// fail writes err as a JSON error. Domain errors map to their statuses;
// anything unexpected is logged here, once, and answered 500.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	var ve article.ValidationError
	var rf *comment.Refusal
	var gve glossary.ValidationError
	var ie *glossary.ImportError
	var le *glossary.LimitError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &rf):
		ae = refusal(w, rf)
	case errors.Is(err, reader.ErrNotFound):
		ae = &apiError{status: http.StatusNotFound, code: codeNotFound, message: "No such reader."}
	case errors.As(err, &ve):
		ae = &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid, message: "The article is not valid.", fields: ve}
	case errors.As(err, &gve):
		ae = &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid, message: "The glossary entry is not valid.", fields: gve}
	case errors.As(err, &ie):
		ae = importRefused(ie)
	case errors.As(err, &mbe):
		ae = &apiError{status: http.StatusRequestEntityTooLarge, code: codeTooLarge,
			message: fmt.Sprintf("The request body is larger than the limit of %d bytes.", mbe.Limit)}
	case errors.As(err, &le):
		ae = &apiError{status: http.StatusRequestEntityTooLarge, code: codeTooLarge,
			message: "The import is too large: " + le.Msg + ". Nothing was imported."}
	case errors.Is(err, glossary.ErrTooLarge):
		ae = &apiError{status: http.StatusRequestEntityTooLarge, code: codeTooLarge, message: "The import is larger than this server reads."}
	case errors.Is(err, glossary.ErrForbidden):
		ae = &apiError{status: http.StatusForbidden, code: codeForbidden, message: "Only editors and admins change the glossary."}
	case errors.Is(err, glossary.ErrExists):
		ae = &apiError{status: http.StatusConflict, code: codeConflict, message: "The glossary already has an entry for that headword in that language; change that entry instead."}
	case errors.Is(err, glossary.ErrBadCursor):
		ae = &apiError{status: http.StatusBadRequest, code: codeMalformed, message: "The after parameter is not a cursor from a previous page; start again without it."}
	case errors.Is(err, article.ErrForbidden):
		ae = &apiError{status: http.StatusForbidden, code: codeForbidden, message: strings.TrimPrefix(err.Error(), article.ErrForbidden.Error()+": ")}
	case errors.Is(err, article.ErrNotFound), errors.Is(err, section.ErrNotFound),
		errors.Is(err, author.ErrNotFound), errors.Is(err, page.ErrNotFound), errors.Is(err, glossary.ErrNotFound):
		ae = &apiError{status: http.StatusNotFound, code: codeNotFound, message: "No such " + noun(err) + "."}
	case errors.Is(err, article.ErrVersionClash):
		ae = &apiError{status: http.StatusConflict, code: codeConflict, message: "The article was changed by someone else since you read it; load it again and reapply your edit."}
	case errors.Is(err, section.ErrInUse):
		ae = &apiError{status: http.StatusConflict, code: codeConflict, message: "The section still has articles or child sections; move or delete them first."}
	case errors.Is(err, section.ErrExists):
		ae = &apiError{status: http.StatusConflict, code: codeConflict, message: "A section with that path already exists."}
	case errors.Is(err, author.ErrEmailTaken):
		ae = &apiError{status: http.StatusConflict, code: codeConflict, message: "Another author already uses that email address."}
	case errors.Is(err, account.ErrBadToken):
		ae = &apiError{status: http.StatusUnauthorized, code: codeUnauthorized, message: "The API token is missing, unknown or revoked."}
	default:
		h.logger.ErrorContext(r.Context(), "api request failed", "request_id", request.ID(r.Context()),
			"method", r.Method, "path", r.URL.Path, "err", err)
		ae = &apiError{status: http.StatusInternalServerError, code: codeInternal, message: "The server could not complete the request."}
	}
	if ae.status == http.StatusUnauthorized && !ae.readerLogin {
		w.Header().Set("WWW-Authenticate", `Bearer realm="broadsheet"`)
	}
	response.JSON(w, ae.status, response.Error{Code: ae.code, Error: ae.message, Fields: ae.fields,
		Reason: ae.reason, Rule: ae.rule, RetryAfter: ae.retryAfter, Limit: ae.limit})
}

// importRefused is the 422 of an import: one field per bad row, named
// "row N" (or "file" for the file as a whole), and nothing stored.
func importRefused(ie *glossary.ImportError) *apiError {
	fields := make(map[string]string, len(ie.Rows))
	for _, r := range ie.Rows {
		key := "file"
		if r.Row > 0 {
			key = "row " + strconv.Itoa(r.Row)
		}
		fields[key] = r.Reason
	}
	if len(ie.Rows) == 1 && ie.Rows[0].Row == 0 {
		return &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid,
			message: "The file cannot be imported: " + ie.Rows[0].Reason + ". Nothing was imported.", fields: fields}
	}
	msg := fmt.Sprintf("The import was refused and nothing was imported: %d row(s) are not valid", ie.Bad)
	if ie.Bad > len(ie.Rows) {
		msg += fmt.Sprintf("; the first %d are listed", len(ie.Rows))
	}
	return &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid, message: msg + ".", fields: fields}
}

func noun(err error) string {
	switch {
	case errors.Is(err, section.ErrNotFound):
		return "section"
	case errors.Is(err, author.ErrNotFound):
		return "author"
	case errors.Is(err, page.ErrNotFound):
		return "page"
	case errors.Is(err, glossary.ErrNotFound):
		return "glossary entry"
	}
	return "article"
}

// decode reads one JSON object into v, refusing unknown fields, trailing
// data, a body over maxBody and anything that is not JSON.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return &apiError{status: http.StatusUnsupportedMediaType, code: codeMediaType,
			message: "Send the request body as JSON with Content-Type: application/json."}
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return decodeError(err)
	}
	// JSON can carry a NUL character as \u0000; no field of ours wants
	// one, and PostgreSQL refuses it in text.
	if bytes.Contains(raw, []byte(`\u0000`)) {
		return &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid,
			message: "Text fields must not contain NUL characters (\\u0000)."}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return badRequest("The body must hold a single JSON object and nothing after it.")
	}
	return nil
}

// decodeOptional is decode for a body that may be left out: an empty one,
// however it was sent (no body, Content-Length 0, chunked), leaves v as is.
func decodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return decodeError(err)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	return decode(w, r, v)
}

func decodeError(err error) error {
	var mbe *http.MaxBytesError
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		return &apiError{status: http.StatusRequestEntityTooLarge, code: codeTooLarge,
			message: fmt.Sprintf("The request body is larger than the limit of %d bytes.", maxBody)}
	case errors.Is(err, io.EOF):
		return badRequest("The request body is empty; send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("The JSON body ends too early.")
	case errors.As(err, &se):
		return badRequest("The body is not valid JSON (error at byte %d).", se.Offset)
	case errors.As(err, &te):
		if te.Field != "" {
			return badRequest("The field %q must be a %s.", te.Field, jsonKind(te.Type.Kind().String()))
		}
		return badRequest("The body must be a JSON object.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return badRequest("The body has a field this API does not know: %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return badRequest("The body could not be read as JSON: %s.", err.Error())
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "int", "int64", "int32":
		return "whole number"
	case "slice":
		return "list"
	case "struct", "map", "ptr":
		return "object"
	case "bool":
		return "true or false"
	}
	return k
}
