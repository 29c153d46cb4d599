package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"broadsheet/internal/comment"
	"broadsheet/internal/http/response"
)

func moderator(r *http.Request) comment.Moderator {
	a := actor(r)
	return comment.Moderator{ID: a.ID, Name: a.Name}
}

type queuedDTO struct {
	commentDTO
	Reports []string `json:"report_reasons"`
}

// GET /api/v1/moderation/queue?show=held|reported|all — comments waiting
// for a moderator, oldest first.
func (h *handler) moderationQueue(w http.ResponseWriter, r *http.Request) {
	offset, err := queryOffset(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := comment.QueueQuery{Offset: offset, Limit: 50}
	switch r.URL.Query().Get("show") {
	case "held":
		q.Held = true
	case "reported":
		q.Reported = true
	case "", "all":
		q.Held, q.Reported = true, true
	default:
		h.fail(w, r, badRequest(`show must be "held", "reported" or "all".`))
		return
	}
	list, err := h.comments.Service.Queue(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []queuedDTO{}
	for _, c := range list {
		out = append(out, queuedDTO{commentDTO: commentOut(c.Comment, pol), Reports: append([]string{}, c.Reasons...)})
	}
	response.JSON(w, http.StatusOK, out)
}

type decisionRequest struct {
	Action string `json:"action"`
	Rule   int    `json:"rule"`
	Reason string `json:"reason"`
}

// POST /api/v1/moderation/comments/{id}/decision — approve, reject or
// delete, naming the policy rule for the last two.
func (h *handler) decideComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req decisionRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	var c comment.Comment
	err = h.moderated(r, "comment."+req.Action, "comment", id, "", req, func(ctx context.Context) error {
		var err error
		c, err = h.comments.Service.Moderate(ctx, moderator(r), id, req.Action, req.Rule, req.Reason)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeComment(w, r, http.StatusOK, c)
}

type banRequest struct {
	Days   int    `json:"days"` // 0: for good
	Rule   int    `json:"rule"`
	Reason string `json:"reason"`
}

// POST /api/v1/moderation/readers/{id}/ban — ban for a number of days or
// for good.
func (h *handler) banReader(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req banRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.Days < 0 || req.Days > 3650 {
		h.fail(w, r, invalid("days", "must be from 1 to 3650, or 0 for a permanent ban"))
		return
	}
	var until time.Time
	if req.Days > 0 {
		until = time.Now().Add(time.Duration(req.Days) * 24 * time.Hour)
	}
	if err := h.moderated(r, "reader.ban", "reader", id, "", req, func(ctx context.Context) error {
		return h.comments.Service.Ban(ctx, moderator(r), id, until, req.Rule, req.Reason)
	}); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeReaderFile(w, r, id)
}

type unbanRequest struct {
	Reason string `json:"reason"`
}

// DELETE /api/v1/moderation/readers/{id}/ban — lift a ban.
func (h *handler) unbanReader(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req unbanRequest
	if err := decodeOptional(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.moderated(r, "reader.unban", "reader", id, "", req, func(ctx context.Context) error {
		return h.comments.Service.Unban(ctx, moderator(r), id, req.Reason)
	}); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeReaderFile(w, r, id)
}

type readerFileDTO struct {
	Reader      commenterDTO  `json:"reader"`
	Provider    string        `json:"provider"`
	CreatedAt   time.Time     `json:"created_at"`
	BannedUntil *time.Time    `json:"banned_until,omitempty"`
	BanRule     int           `json:"ban_rule,omitempty"`
	BanReason   string        `json:"ban_reason,omitempty"`
	Comments    []commentDTO  `json:"comments"`
	Log         []logEntryDTO `json:"log"`
}

// GET /api/v1/moderation/readers/{id} — a reader's account, all their
// comments whatever their status, and the decisions about them.
func (h *handler) readerFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeReaderFile(w, r, id)
}

func (h *handler) writeReaderFile(w http.ResponseWriter, r *http.Request, id int64) {
	rd, err := h.comments.Readers.Reader(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, err := h.comments.Readers.ReaderComments(r.Context(), id, false, 0, 200)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	log, err := h.comments.Service.Log(r.Context(), id, 0, 200)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := readerFileDTO{Reader: commenterDTO{ID: rd.ID, Name: rd.DisplayName, AvatarURL: rd.AvatarURL},
		Provider: rd.Provider, CreatedAt: rd.CreatedAt, BanRule: rd.BanRule, BanReason: rd.BanReason,
		Comments: []commentDTO{}, Log: logOut(log)}
	if !rd.BannedUntil.IsZero() {
		u := rd.BannedUntil
		out.BannedUntil = &u
	}
	out.Comments = commentsOut(out.Comments, list, pol)
	response.JSON(w, http.StatusOK, out)
}

type logEntryDTO struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Staff     string    `json:"staff,omitempty"`
	Action    string    `json:"action"`
	CommentID int64     `json:"comment_id,omitempty"`
	ReaderID  int64     `json:"reader_id,omitempty"`
	Rule      int       `json:"rule,omitempty"`
	Reason    string    `json:"reason"`
}

func logOut(list []comment.LogEntry) []logEntryDTO {
	out := []logEntryDTO{}
	for _, e := range list {
		out = append(out, logEntryDTO{ID: e.ID, At: e.At, Staff: e.StaffName, Action: e.Action, CommentID: e.CommentID,
			ReaderID: e.ReaderID, Rule: e.Rule, Reason: e.Reason})
	}
	return out
}

// GET /api/v1/moderation/log?before=ID — every moderation decision,
// newest first, 100 at a time.
func (h *handler) moderationLog(w http.ResponseWriter, r *http.Request) {
	var before int64
	if v := r.URL.Query().Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			h.fail(w, r, badRequest("before must be the id of a log entry."))
			return
		}
		before = n
	}
	list, err := h.comments.Service.Log(r.Context(), 0, before, 100)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, logOut(list))
}

type bannedWordDTO struct {
	ID     int64  `json:"id"`
	Word   string `json:"word"`
	Lang   string `json:"lang"`
	Action string `json:"action"`
	Rule   int    `json:"rule"`
}

type bannedWordRequest struct {
	Word   string `json:"word"`
	Lang   string `json:"lang"`
	Action string `json:"action"`
	Rule   int    `json:"rule"`
}

// GET /api/v1/moderation/banned-words — the English and Korean lists.
func (h *handler) listBannedWords(w http.ResponseWriter, r *http.Request) {
	list, err := h.comments.Readers.BannedWords(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []bannedWordDTO{}
	for _, bw := range list {
		out = append(out, bannedWordDTO{ID: bw.ID, Word: bw.Word, Lang: bw.Lang, Action: string(bw.Action), Rule: bw.Rule})
	}
	response.JSON(w, http.StatusOK, out)
}

// POST /api/v1/moderation/banned-words — add a word, or change the action
// of one already listed.
func (h *handler) saveBannedWord(w http.ResponseWriter, r *http.Request) {
	var req bannedWordRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	var bw comment.BannedWord
	err := h.moderated(r, "banned-word.create", "banned-word", 0, req.Word, req, func(ctx context.Context) error {
		var bad map[string]string
		var err error
		bw, bad, err = h.comments.Service.SaveBannedWord(ctx,
			comment.BannedWord{Word: req.Word, Lang: req.Lang, Action: comment.Action(req.Action), Rule: req.Rule})
		if err == nil {
			err = invalidFields("banned word", bad) // rolls the transaction back
		}
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, bannedWordDTO{ID: bw.ID, Word: bw.Word, Lang: bw.Lang, Action: string(bw.Action), Rule: bw.Rule})
}

// DELETE /api/v1/moderation/banned-words/{id}
func (h *handler) deleteBannedWord(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.moderated(r, "banned-word.delete", "banned-word", id, "", nil, func(ctx context.Context) error {
		return h.comments.Service.DeleteBannedWord(ctx, id)
	}); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/v1/moderation/settings — the comment settings in force, by
// their stored keys.
func (h *handler) getCommentSettings(w http.ResponseWriter, r *http.Request) {
	s, err := h.comments.Service.Settings(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, s.Map())
}

// PATCH /api/v1/moderation/settings — change some settings (editors and
// admins: the limits shape what every reader may do).
func (h *handler) updateCommentSettings(w http.ResponseWriter, r *http.Request) {
	var raw map[string]any
	if err := decode(w, r, &raw); err != nil {
		h.fail(w, r, err)
		return
	}
	req, bad := settingValues(raw)
	if len(bad) == 0 {
		var s comment.Settings
		err := h.moderated(r, "comment-settings.update", "settings", 0, "", req, func(ctx context.Context) error {
			var err error
			if s, bad, err = h.comments.Service.ChangeSettings(ctx, req); err == nil && len(bad) > 0 {
				err = errRefused
			}
			return err
		})
		if err != nil && !errors.Is(err, errRefused) {
			h.fail(w, r, err)
			return
		}
		if len(bad) == 0 {
			response.JSON(w, http.StatusOK, s.Map())
			return
		}
	}
	h.fail(w, r, &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid,
		message: "The comment settings are not valid.", fields: bad})
}

// settingValues accepts each setting as a string or a whole number, since
// both are natural in JSON ({"comments_per_day": 30} or "30").
func settingValues(raw map[string]any) (map[string]string, map[string]string) {
	out, bad := map[string]string{}, map[string]string{}
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = v
		case float64:
			if v != math.Trunc(v) || math.Abs(v) > 1e15 {
				bad[k] = "must be a whole number"
				continue
			}
			out[k] = strconv.FormatInt(int64(v), 10)
		default:
			bad[k] = "must be a string or a whole number"
		}
	}
	return out, bad
}

type modeRequest struct {
	Mode string `json:"mode"`
}

// PUT /api/v1/moderation/modes/{scope}/{id} — the comment mode of a
// section or an article: post, pre, closed, or inherit.
func (h *handler) setCommentMode(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req modeRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	mode, err := comment.ParseMode(req.Mode)
	if err != nil {
		h.fail(w, r, invalid("mode", "must be post, pre, closed or inherit"))
		return
	}
	if r.PathValue("scope") == "article" {
		// The article policy decides whose articles one may see, and so
		// set the comments of: an unpublished one is not a moderator's.
		if _, err := h.articles.Get(r.Context(), actor(r), id); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if err := h.moderated(r, "comment-mode.set", r.PathValue("scope"), id, string(mode), req, func(ctx context.Context) error {
		return h.comments.Service.SetMode(ctx, r.PathValue("scope"), id, mode)
	}); err != nil {
		h.fail(w, r, err)
		return
	}
	if mode == comment.Inherit {
		req.Mode = "inherit"
	}
	response.JSON(w, http.StatusOK, req)
}

// errRefused rolls back a change its service refused with per-field
// messages, which the handler then answers.
var errRefused = errors.New("api: change refused")

// moderated makes a moderator's change and writes its staff audit entry
// in one transaction, as the newsroom's forms do (audit.Log.Change); the
// comment service reads its settings, words and modes again after the
// commit, so no reader sees the old ones cached from inside it.
func (h *handler) moderated(r *http.Request, action, targetType string, id int64, summary string, after any, change func(ctx context.Context) error) error {
	defer h.comments.Service.Forget()
	if h.comments.Tx == nil {
		return change(r.Context())
	}
	return h.comments.Audit.Change(r.Context(), h.comments.Tx, actor(r), action, targetType, id, summary, after, change)
}
