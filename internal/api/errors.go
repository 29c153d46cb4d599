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
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/comment"
	"broadsheet/internal/front"
	"broadsheet/internal/glossary"
	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
	"broadsheet/internal/logsafe"
	"broadsheet/internal/outage"
	"broadsheet/internal/page"
	"broadsheet/internal/reader"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
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
	codeBusy         = "busy"               // 503, with Retry-After
	// 503 is outage.Code, "database_unavailable": try again after Retry-After.
)

// busyRetryAfter is the Retry-After, in seconds, of a 503 for work that
// waited too long for its turn.
const busyRetryAfter = 5

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

// fail writes err as a JSON error. The status of a domain error comes
// from response.Status, which the newsroom pages use too; this door only
// chooses the code and the sentence. Anything unexpected is logged here,
// once, and answered 500.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	var rf *comment.Refusal
	var ie *glossary.ImportError
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &rf):
		ae = refusal(w, rf)
	case errors.As(err, &ie):
		ae = importRefused(ie)
	case outage.Is(err):
		h.logger.WarnContext(r.Context(), "database not answering", "request_id", request.ID(r.Context()),
			"method", r.Method, "path", logsafe.String(r.URL.Path), "err", err)
		outage.SetRetryAfter(w)
		ae = &apiError{status: http.StatusServiceUnavailable, code: outage.Code, message: outage.Message,
			retryAfter: int(outage.RetryAfter / time.Second)}
	default:
		ae = domainError(err)
	}
	if ae == nil {
		h.logger.ErrorContext(r.Context(), "api request failed", "request_id", request.ID(r.Context()),
			"method", r.Method, "path", logsafe.String(r.URL.Path), "err", err)
		ae = &apiError{status: http.StatusInternalServerError, code: codeInternal, message: "The server could not complete the request."}
	}
	if ae.status == http.StatusUnauthorized && !ae.readerLogin {
		w.Header().Set("WWW-Authenticate", `Bearer realm="broadsheet"`)
	}
	if ae.retryAfter > 0 && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", strconv.Itoa(ae.retryAfter))
	}
	response.JSON(w, ae.status, response.Error{Code: ae.code, Error: ae.message, Fields: ae.fields,
		Reason: ae.reason, Rule: ae.rule, RetryAfter: ae.retryAfter, Limit: ae.limit})
}

// domainError is the JSON error for an error of a domain service, with
// the status response.Status gives it; nil for an unexpected error.
func domainError(err error) *apiError {
	var mbe *http.MaxBytesError
	switch st := response.Status(err); st {
	case http.StatusRequestEntityTooLarge:
		if errors.As(err, &mbe) {
			return &apiError{status: st, code: codeTooLarge, message: fmt.Sprintf("The request body is larger than the limit of %d bytes.", mbe.Limit)}
		}
		var le *glossary.LimitError
		if errors.As(err, &le) {
			return &apiError{status: st, code: codeTooLarge, message: "The import is too large: " + le.Msg + ". Nothing was imported."}
		}
		return &apiError{status: st, code: codeTooLarge, message: "The import is larger than this server reads."}
	case http.StatusUnauthorized:
		return &apiError{status: st, code: codeUnauthorized, message: "The API token is missing, unknown or revoked."}
	case http.StatusForbidden:
		if errors.Is(err, glossary.ErrForbidden) {
			return &apiError{status: st, code: codeForbidden, message: "Only editors and admins change the glossary."}
		}
		return &apiError{status: st, code: codeForbidden, message: sentence(strings.TrimPrefix(err.Error(), article.ErrForbidden.Error()+": "))}
	case http.StatusNotFound:
		return &apiError{status: st, code: codeNotFound, message: "No such " + noun(err) + "."}
	case http.StatusConflict:
		return &apiError{status: st, code: codeConflict, message: conflictMessage(err)}
	case http.StatusUnprocessableEntity:
		if thing, fields := invalidThing(err); fields != nil {
			return &apiError{status: st, code: codeInvalid, message: "The " + thing + " is not valid.", fields: fields}
		}
		var rf *front.Refusal
		if errors.As(err, &rf) {
			return &apiError{status: st, code: codeInvalid, message: "The request is not valid.", fields: map[string]string{"article_ids": rf.Error()}}
		}
		return &apiError{status: st, code: codeInvalid, message: sentence(err.Error())}
	case http.StatusBadRequest:
		return &apiError{status: st, code: codeMalformed, message: "The after parameter is not a cursor from a previous page; start again without it."}
	case http.StatusServiceUnavailable:
		return &apiError{status: st, code: codeBusy, message: sentence(err.Error()), retryAfter: busyRetryAfter}
	}
	return nil
}

// invalidThing names the thing a validation error of a domain service is
// about and its per-field messages; fields is nil for any other error.
func invalidThing(err error) (thing string, fields map[string]string) {
	var ave article.ValidationError
	var gve glossary.ValidationError
	var sve section.ValidationError
	var uve author.ValidationError
	var pve page.ValidationError
	var tve site.ValidationError
	switch {
	case errors.As(err, &ave):
		return "article", ave
	case errors.As(err, &gve):
		return "glossary entry", gve
	case errors.As(err, &sve):
		return "section", sve
	case errors.As(err, &uve):
		return "author", uve
	case errors.As(err, &pve):
		return "page", pve
	case errors.As(err, &tve):
		return "settings", tve
	}
	return "", nil
}

// conflictMessage says which rule a 409 comes from.
func conflictMessage(err error) string {
	switch {
	case errors.Is(err, article.ErrVersionClash):
		return "The article was changed by someone else since you read it; load it again and reapply your edit."
	case errors.Is(err, article.ErrWrongStatus):
		return sentence(strings.TrimPrefix(err.Error(), article.ErrWrongStatus.Error()+": "))
	case errors.Is(err, section.ErrInUse):
		return "The section still has articles or child sections; move or delete them first."
	case errors.Is(err, section.ErrExists):
		return "A section with that path already exists."
	case errors.Is(err, section.ErrLoop):
		return "A section cannot be moved inside itself or a section under it."
	case errors.Is(err, author.ErrEmailTaken):
		return "Another author already uses that email address."
	case errors.Is(err, page.ErrExists):
		return "Another page already has that slug."
	case errors.Is(err, glossary.ErrExists):
		return "The glossary already has an entry for that headword in that language; change that entry instead."
	}
	return sentence(err.Error())
}

// sentence starts a message with a capital and ends it with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
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
	case errors.Is(err, reader.ErrNotFound):
		return "reader"
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
