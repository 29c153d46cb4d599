package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"broadsheet/internal/comment"
	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
	"broadsheet/internal/reader"
)

type commentService interface {
	Policy(ctx context.Context) (comment.Policy, error)
	Settings(ctx context.Context) (comment.Settings, error)
	List(ctx context.Context, articleID int64, sort comment.Sort, offset int, viewer int64) (comment.Page, error)
	Post(ctx context.Context, r reader.Reader, in comment.PostInput) (comment.Comment, error)
	Edit(ctx context.Context, r reader.Reader, id int64, text string) (comment.Comment, error)
	Delete(ctx context.Context, r reader.Reader, id int64) error
	React(ctx context.Context, r reader.Reader, id int64, value int, ip string) (int, int, error)
	Report(ctx context.Context, r reader.Reader, id int64, in comment.ReportInput) error
	Moderate(ctx context.Context, by comment.Moderator, id int64, action string, rule int, reason string) (comment.Comment, error)
	Forget()
	Ban(ctx context.Context, by comment.Moderator, readerID int64, until time.Time, rule int, reason string) error
	Unban(ctx context.Context, by comment.Moderator, readerID int64, reason string) error
	Queue(ctx context.Context, q comment.QueueQuery) ([]comment.Queued, error)
	Log(ctx context.Context, readerID, before int64, limit int) ([]comment.LogEntry, error)
	ChangeSettings(ctx context.Context, m map[string]string) (comment.Settings, map[string]string, error)
	SaveBannedWord(ctx context.Context, w comment.BannedWord) (comment.BannedWord, map[string]string, error)
	DeleteBannedWord(ctx context.Context, id int64) error
	SetMode(ctx context.Context, scope string, id int64, mode comment.Mode) error
}

type readerStore interface {
	Reader(ctx context.Context, id int64) (reader.Reader, error)
	SetReaderName(ctx context.Context, id int64, name string) error
	AcceptPolicy(ctx context.Context, id int64, version string) error
	DeleteReader(ctx context.Context, id int64) error
	ReaderComments(ctx context.Context, readerID int64, public bool, offset, limit int) ([]comment.Comment, error)
	ReaderReactions(ctx context.Context, readerID int64) ([]comment.Reaction, error)
	BannedWords(ctx context.Context) ([]comment.BannedWord, error)
}

// GET /api/v1/articles/{id}/comments — a page of the comments, for
// anyone. A signed-in reader also sees their own held comments and their
// reactions, so the answer is never stored by shared caches.
func (h *handler) listComments(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	offset, err := queryOffset(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	viewer := h.optionalReader(r)
	pg, err := h.comments.Service.List(r.Context(), id, comment.ParseSort(r.URL.Query().Get("sort")), offset, viewer.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := commentPageDTO{Total: pg.Total, Sort: string(pg.Sort), Offset: pg.Offset, Comments: []commentDTO{}}
	out.Comments = commentsOut(out.Comments, pg.Comments, pol)
	if pg.More {
		next := pg.Offset + len(pg.Comments)
		out.Next = &next
	}
	w.Header().Set("Cache-Control", "private, no-cache")
	response.JSON(w, http.StatusOK, out)
}

func queryOffset(r *http.Request) (int, error) {
	v := r.URL.Query().Get("offset")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 100_000 {
		return 0, badRequest("offset must be a whole number from 0 to 100000.")
	}
	return n, nil
}

func pathID(r *http.Request) (int64, error) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		return 0, badRequest("The id in the path must be a positive whole number.")
	}
	return id, nil
}

// POST /api/v1/articles/{id}/comments — a signed-in reader posts a
// comment or a reply; 201 with the stored comment, which is "held" when
// it waits for a moderator.
func (h *handler) postComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req commentRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.ParentID < 0 {
		h.fail(w, r, invalid("parent_id", "must be the id of a comment on this article"))
		return
	}
	c, err := h.comments.Service.Post(r.Context(), currentReader(r),
		comment.PostInput{ArticleID: id, ParentID: req.ParentID, Body: req.Body, IP: request.ClientIP(r)})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeComment(w, r, http.StatusCreated, c)
}

func (h *handler) writeComment(w http.ResponseWriter, r *http.Request, status int, c comment.Comment) {
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, status, commentOut(c, pol))
}

// PATCH /api/v1/comments/{id} — the author edits within the edit window.
func (h *handler) editComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req editRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.comments.Service.Edit(r.Context(), currentReader(r), id, req.Body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeComment(w, r, http.StatusOK, c)
}

// DELETE /api/v1/comments/{id} — the author deletes their comment.
func (h *handler) deleteComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.comments.Service.Delete(r.Context(), currentReader(r), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// PUT /api/v1/comments/{id}/reaction — like (1), dislike (-1) or take
// back (0); a reader has at most one reaction per comment.
func (h *handler) reactToComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req reactionRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	likes, dislikes, err := h.comments.Service.React(r.Context(), currentReader(r), id, req.Value, request.ClientIP(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, reactionDTO{Likes: likes, Dislikes: dislikes, Mine: req.Value})
}

// POST /api/v1/comments/{id}/reports — report a comment: a rule of the policy and a note.
func (h *handler) reportComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req reportRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.comments.Service.Report(r.Context(), currentReader(r), id, comment.ReportInput{Rule: req.Rule, Note: req.Reason}); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/v1/policy — the Standards Board Policy's rules and version.
func (h *handler) getPolicy(w http.ResponseWriter, r *http.Request) {
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	response.JSON(w, http.StatusOK, policyOut(pol))
}

// refusal turns a comment refusal into the API's error shape.
func refusal(w http.ResponseWriter, rf *comment.Refusal) *apiError {
	status, code := http.StatusUnprocessableEntity, codeInvalid
	switch rf.Kind {
	case comment.KindForbidden, comment.KindClosed:
		status, code = http.StatusForbidden, codeForbidden
	case comment.KindPolicy:
		status, code = http.StatusPreconditionRequired, "policy_not_accepted"
	case comment.KindLimited:
		status, code = http.StatusTooManyRequests, "rate_limited"
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(rf.RetryAfter, time.Second).Seconds()))))
	case comment.KindNotFound:
		status, code = http.StatusNotFound, codeNotFound
	case comment.KindConflict:
		status, code = http.StatusConflict, codeConflict
	}
	msg := rf.Message
	if rf.Rule.Number != 0 {
		msg = fmt.Sprintf("%s (Rule %d of the Standards Board Policy", msg, rf.Rule.Number)
		if rf.Rule.Text != "" {
			msg += ": " + rf.Rule.Text
		}
		msg += ")"
	}
	ae := &apiError{status: status, code: code, message: msg, reason: rf.Code}
	if rf.Rule.Number != 0 {
		ae.rule = &response.Rule{Number: rf.Rule.Number, Text: rf.Rule.Text}
	}
	if rf.Kind == comment.KindLimited {
		ae.retryAfter = int(math.Ceil(rf.RetryAfter.Seconds()))
		ae.limit = rf.Limit
	}
	switch rf.Code {
	case "too_long":
		ae.limit = rf.Limit
		ae.fields = map[string]string{"body": fmt.Sprintf("%d characters; at most %d", rf.Length, rf.Limit)}
	case "character_too_long":
		ae.limit = rf.Limit
		ae.fields = map[string]string{"body": fmt.Sprintf("a character of %d code points; at most %d in one character", rf.Length, rf.Limit)}
	case "too_large":
		ae.limit = rf.Limit
		ae.fields = map[string]string{"body": fmt.Sprintf("%d bytes; at most %d", rf.Length, rf.Limit)}
	}
	return ae
}
