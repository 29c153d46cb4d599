package api

import (
	"fmt"
	"net/http"

	"broadsheet/internal/http/response"
	"broadsheet/internal/reader"
)

func sessionOf(r *http.Request) reader.Session {
	s, _ := r.Context().Value(readerKey{}).(signedIn)
	return s.session
}

// GET /api/v1/me — the signed-in reader, with the CSRF token that
// requests changing anything must carry.
func (h *handler) getMe(w http.ResponseWriter, r *http.Request) {
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, meOut(currentReader(r), sessionOf(r).CSRF, pol))
}

// PATCH /api/v1/me — change the display name.
func (h *handler) updateMe(w http.ResponseWriter, r *http.Request) {
	var req meRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	name, err := reader.NormalizeName(req.Name)
	if err != nil {
		h.fail(w, r, invalid("name", err.Error()))
		return
	}
	rd := currentReader(r)
	if err := h.comments.Readers.SetReaderName(r.Context(), rd.ID, name); err != nil {
		h.fail(w, r, err)
		return
	}
	rd.DisplayName = name
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, meOut(rd, sessionOf(r).CSRF, pol))
}

// POST /api/v1/me/policy — accept the Standards Board Policy. The version
// read must be the one in force, so nobody accepts rules they never saw.
func (h *handler) acceptPolicy(w http.ResponseWriter, r *http.Request) {
	var req acceptPolicyRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if req.Version != pol.Version {
		h.fail(w, r, &apiError{status: http.StatusConflict, code: codeConflict,
			message: fmt.Sprintf("The policy has changed to version %q; read it again before accepting.", pol.Version)})
		return
	}
	rd := currentReader(r)
	if err := h.comments.Readers.AcceptPolicy(r.Context(), rd.ID, pol.Version); err != nil {
		h.fail(w, r, err)
		return
	}
	rd.PolicyVersion = pol.Version
	response.JSON(w, http.StatusOK, meOut(rd, sessionOf(r).CSRF, pol))
}

// GET /api/v1/me/export — everything kept about the reader, as JSON.
func (h *handler) exportMe(w http.ResponseWriter, r *http.Request) {
	rd := currentReader(r)
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := exportDTO{Account: meOut(rd, "", pol), Subject: rd.Subject, Comments: []commentDTO{}, Reactions: []reactionItem{}}
	for offset := 0; ; offset += 500 {
		list, err := h.comments.Readers.ReaderComments(r.Context(), rd.ID, false, offset, 500)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		out.Comments = commentsOut(out.Comments, list, pol)
		if len(list) < 500 {
			break
		}
	}
	reactions, err := h.comments.Readers.ReaderReactions(r.Context(), rd.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, x := range reactions {
		out.Reactions = append(out.Reactions, reactionItem{CommentID: x.CommentID, Value: x.Value, At: x.At})
	}
	w.Header().Set("Content-Disposition", `attachment; filename="my-comments.json"`)
	response.JSON(w, http.StatusOK, out)
}

// DELETE /api/v1/me — delete the account, its comments and reactions,
// and sign out.
func (h *handler) deleteMe(w http.ResponseWriter, r *http.Request) {
	if err := h.comments.Readers.DeleteReader(r.Context(), currentReader(r).ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.comments.Sessions.SignOut(w, r)
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/v1/readers/{id}/comments — a reader's public comment history.
func (h *handler) readerHistory(w http.ResponseWriter, r *http.Request) {
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
	rd, err := h.comments.Readers.Reader(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, err := h.comments.Readers.ReaderComments(r.Context(), id, true, offset, 50)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pol, err := h.comments.Service.Policy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := historyDTO{Reader: commenterDTO{ID: rd.ID, Name: rd.DisplayName, AvatarURL: rd.AvatarURL}, Comments: []commentDTO{}}
	out.Comments = commentsOut(out.Comments, list, pol)
	response.JSON(w, http.StatusOK, out)
}

type historyDTO struct {
	Reader   commenterDTO `json:"reader"`
	Comments []commentDTO `json:"comments"`
}
