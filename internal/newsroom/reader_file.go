package newsroom

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/comment"
	"broadsheet/internal/http/request"
	"broadsheet/internal/reader"
)

// fileSize bounds the comments and decisions a reader's file lists.
const fileSize = 200

// maxBanDays is the longest timed ban; longer is a permanent one.
const maxBanDays = 3650

type readerPage struct {
	page
	Reader    reader.Reader
	Banned    bool
	Permanent bool
	Comments  []comment.Comment
	Log       []logRow
	Policy    comment.Policy
	Form      form
}

// RuleText is a rule's number and text, for the decisions listed.
func (p readerPage) RuleText(n int) string { return ruleText(p.L, p.Policy, n) }

// GET /newsroom/moderation/readers/{id} — a reader's account, all their
// comments whatever their status, the decisions about them, and the ban
// forms.
func (h *handler) showReader(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderReader(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderReader(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	rd, err := h.store.Reader(ctx, id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	list, err := h.store.ReaderComments(ctx, id, false, 0, fileSize)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	log, err := h.comments.Log(ctx, id, 0, fileSize)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	pol, err := h.comments.Policy(ctx)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	h.render(w, r, status, "reader", readerPage{
		page:   h.visitPage(r, v, v.L.T("newsroom_reader_title", "Name", rd.DisplayName), "queue"),
		Reader: rd, Banned: rd.Banned(h.now()), Permanent: rd.BannedUntil.Equal(reader.Forever),
		Comments: list, Log: logRows(v.L, pol, log), Policy: pol, Form: f,
	})
}

// POST /newsroom/moderation/readers/{id}/ban — days (1 to 3650) or
// permanent, the rule broken and a reason.
func (h *handler) banReader(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	f := r.PostForm
	errs := map[string]string{}
	var until time.Time
	if f.Get("permanent") == "" {
		days, err := strconv.Atoi(strings.TrimSpace(f.Get("days")))
		if err != nil || days < 1 || days > maxBanDays {
			errs["days"] = v.L.T("newsroom_err_ban_days", "Max", maxBanDays)
		}
		until = h.now().Add(time.Duration(days) * 24 * time.Hour)
	}
	// Whether a rule must be named is the service's call: it asks for one
	// whenever a policy with numbered rules is published.
	rule, ruleOK := parseRule(f.Get("rule"))
	if !ruleOK {
		errs["rule"] = v.L.T("newsroom_err_bad_rule")
	}
	if len(errs) > 0 {
		h.renderReader(w, r, v, http.StatusUnprocessableEntity, form{Name: "ban", Values: f, Errors: errs})
		return
	}
	err := h.audited(r, v, "reader.ban", "reader", id, "", func(ctx context.Context) error {
		return h.comments.Ban(ctx, v.moderator(), id, until, rule, f.Get("reason"))
	})
	if h.readerRefused(w, r, v, "ban", err) {
		return
	}
	redirect(w, r, v.L, "/newsroom/moderation/readers/"+strconv.FormatInt(id, 10))
}

// POST /newsroom/moderation/readers/{id}/unban — lift a ban, with a reason.
func (h *handler) unbanReader(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	err := h.audited(r, v, "reader.unban", "reader", id, "", func(ctx context.Context) error {
		return h.comments.Unban(ctx, v.moderator(), id, r.PostForm.Get("reason"))
	})
	if h.readerRefused(w, r, v, "unban", err) {
		return
	}
	redirect(w, r, v.L, "/newsroom/moderation/readers/"+strconv.FormatInt(id, 10))
}

// readerRefused answers a ban or unban the service refused; it reports
// whether it answered. A missing reader is 404, a refusal of form 422
// with the reader's file shown again.
func (h *handler) readerRefused(w http.ResponseWriter, r *http.Request, v *visit, name string, err error) bool {
	if err == nil {
		return false
	}
	var rf *comment.Refusal
	if errors.As(err, &rf) && rf.Kind == comment.KindInvalid {
		h.renderReader(w, r, v, http.StatusUnprocessableEntity,
			form{Name: name, Values: r.PostForm, Errors: map[string]string{refusalField(rf.Code): refusalText(v.L, rf)}})
		return true
	}
	if errors.As(err, &rf) && rf.Kind == comment.KindNotFound {
		err = reader.ErrNotFound // BanReader reports a missing reader as a missing comment
	}
	h.fail(w, r, v, err)
	return true
}

// ruleText is "Rule 6: Protect the privacy of others." in the staff
// member's language; "" for no rule.
func ruleText(l locale, p comment.Policy, n int) string {
	if n == 0 {
		return ""
	}
	r := p.Rule(n)
	return l.T("newsroom_rule", "Number", r.Number, "Text", r.Text)
}
