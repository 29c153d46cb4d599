package newsroom

import (
	"context"
	"errors"
	"net/http"

	"broadsheet/internal/comment"
	"broadsheet/internal/http/request"
)

type wordsPage struct {
	page
	English []comment.BannedWord
	Korean  []comment.BannedWord
	Policy  comment.Policy
	Form    form
}

// RuleText is a rule's number and text.
func (p wordsPage) RuleText(n int) string { return ruleText(p.L, p.Policy, n) }

// GET /newsroom/moderation/words — the English and Korean banned-word
// lists, each word rejecting or holding the comments that contain it.
func (h *handler) showWords(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderWords(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderWords(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	list, err := h.store.BannedWords(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	pol, err := h.comments.Policy(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	p := wordsPage{page: h.visitPage(r, v, v.L.T("newsroom_words_title"), "words"), Policy: pol, Form: f}
	for _, bw := range list {
		if bw.Lang == "ko" {
			p.Korean = append(p.Korean, bw)
		} else {
			p.English = append(p.English, bw)
		}
	}
	h.render(w, r, status, "words", p)
}

// wordErrors translates the service's per-field complaints.
var wordErrors = map[string]string{
	"word":   "newsroom_err_word",
	"lang":   "newsroom_err_word_lang",
	"action": "newsroom_err_word_action",
	"rule":   "newsroom_err_bad_rule",
}

// POST /newsroom/moderation/words — add a word, or change the action and
// rule of one already listed.
func (h *handler) addWord(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	rule, ok := parseRule(f.Get("rule"))
	if !ok {
		h.renderWords(w, r, v, http.StatusUnprocessableEntity,
			form{Name: "add", Values: f, Errors: map[string]string{"rule": v.L.T("newsroom_err_bad_rule")}})
		return
	}
	var bad map[string]string
	err := h.audited(r, v, "banned-word.create", "banned-word", 0, f.Get("word"), func(ctx context.Context) error {
		var err error
		_, bad, err = h.comments.SaveBannedWord(ctx,
			comment.BannedWord{Word: f.Get("word"), Lang: f.Get("lang"), Action: comment.Action(f.Get("action")), Rule: rule})
		if err == nil && len(bad) > 0 {
			err = errRefused
		}
		return err
	})
	h.forgetComments()
	if err != nil && !errors.Is(err, errRefused) {
		h.serverError(w, r, v.L, err)
		return
	}
	if len(bad) > 0 {
		errs := map[string]string{}
		for field := range bad {
			if id, ok := wordErrors[field]; ok {
				errs[field] = v.L.T(id)
			} else {
				errs["form"] = bad[field]
			}
		}
		h.renderWords(w, r, v, http.StatusUnprocessableEntity, form{Name: "add", Values: f, Errors: errs})
		return
	}
	redirect(w, r, v.L, "/newsroom/moderation/words")
}

// POST /newsroom/moderation/words/{id}/delete — remove a word.
func (h *handler) deleteWord(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	err := h.audited(r, v, "banned-word.delete", "banned-word", id, "", func(ctx context.Context) error {
		return h.comments.DeleteBannedWord(ctx, id)
	})
	h.forgetComments()
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	redirect(w, r, v.L, "/newsroom/moderation/words")
}
