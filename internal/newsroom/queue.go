package newsroom

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/http/request"
)

// queueSize is how many comments one page of the queue shows.
const queueSize = 50

type queuePage struct {
	page
	Show   string // held, reported or all
	Items  []queueItem
	Rules  []comment.Rule
	Offset int
	More   bool
	Form   form
	// Stray holds the errors of a refused form whose comment is not on
	// this page (it left the queue, or never was in it), so they still
	// show.
	Stray []string
}

// PrevOffset and NextOffset are the neighbouring pages' ?offset=.
func (p queuePage) PrevOffset() int { return max(0, p.Offset-queueSize) }
func (p queuePage) NextOffset() int { return p.Offset + queueSize }

type queueItem struct {
	comment.Queued
	ArticleTitle string
	ArticleURL   string
}

// GET /newsroom/moderation?show=held|reported|all&offset=N — held and
// reported comments, oldest first, each with forms to decide on it.
func (h *handler) showQueue(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderQueue(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderQueue(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	show := queueFilter(r.URL.Query().Get("show"))
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(0, min(offset, 1_000_000))
	q := comment.QueueQuery{Held: show != "reported", Reported: show != "held", Offset: offset, Limit: queueSize + 1}
	list, err := h.comments.Queue(r.Context(), q)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	pol, err := h.comments.Policy(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	p := queuePage{page: h.visitPage(r, v, v.L.T("newsroom_queue_title"), "queue"), Show: show, Rules: pol.Rules,
		Offset: offset, More: len(list) > queueSize, Form: f}
	titles := map[int64]article.Article{}
	for i, c := range list {
		if i == queueSize {
			break
		}
		a, ok := titles[c.ArticleID]
		if !ok && h.articles != nil {
			// Through the policy: a moderator sees the headline of a
			// published article only, not what an editor is drafting
			// after taking it down.
			a, err = h.articles.Get(r.Context(), v.Staff, c.ArticleID)
			if err != nil && !errors.Is(err, article.ErrNotFound) {
				h.fail(w, r, v, err)
				return
			}
			titles[c.ArticleID] = a
		}
		item := queueItem{Queued: c, ArticleTitle: a.Headline, ArticleURL: "/article/" + strconv.FormatInt(c.ArticleID, 10)}
		if a.ID != 0 {
			item.ArticleURL = a.URL()
		}
		p.Items = append(p.Items, item)
	}
	if f.Name != "" && !slices.ContainsFunc(p.Items, func(it queueItem) bool { return "c"+strconv.FormatInt(it.ID, 10) == f.Name }) {
		for _, msg := range f.Errors {
			p.Stray = append(p.Stray, msg)
		}
		slices.Sort(p.Stray)
	}
	h.render(w, r, status, "queue", p)
}

// queueFilter reads ?show=; anything unknown shows everything.
func queueFilter(s string) string {
	if s == "held" || s == "reported" {
		return s
	}
	return "all"
}

// POST /newsroom/moderation/comments/{id} — approve, reject or delete a
// comment (the button pressed names the action), citing a rule of the
// policy and a reason for the last two.
func (h *handler) decideComment(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	f := r.PostForm
	name := "c" + strconv.FormatInt(id, 10)
	rule, ruleOK := parseRule(f.Get("rule"))
	if !ruleOK {
		h.queueRefused(w, r, v, name, map[string]string{"rule": v.L.T("newsroom_err_bad_rule")})
		return
	}
	err := h.audited(r, v, "comment."+f.Get("action"), "comment", id, "", func(ctx context.Context) error {
		_, err := h.comments.Moderate(ctx, v.moderator(), id, f.Get("action"), rule, f.Get("reason"))
		return err
	})
	var rf *comment.Refusal
	if errors.As(err, &rf) && rf.Kind == comment.KindInvalid {
		h.queueRefused(w, r, v, name, map[string]string{refusalField(rf.Code): refusalText(v.L, rf)})
		return
	}
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	back := "/newsroom/moderation"
	if show := queueFilter(f.Get("show")); show != "all" {
		back += "?show=" + show
	}
	redirect(w, r, v.L, back)
}

// queueRefused shows the queue again with the refused form's errors and
// what was typed into it.
func (h *handler) queueRefused(w http.ResponseWriter, r *http.Request, v *visit, name string, errs map[string]string) {
	q := url.Values{}
	if show := queueFilter(r.PostForm.Get("show")); show != "all" {
		q.Set("show", show)
	}
	r.URL.RawQuery = mergeQuery(r.URL.Query(), q).Encode()
	h.renderQueue(w, r, v, http.StatusUnprocessableEntity, form{Name: name, Values: r.PostForm, Errors: errs})
}

func mergeQuery(a, b url.Values) url.Values {
	for k, vs := range b {
		a[k] = vs
	}
	return a
}

// parseRule reads the rule <select>: "" is no rule.
func parseRule(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && n <= 1000
}

// refusalField is the form field a refusal of the comment service is
// about, so the message sits next to it.
func refusalField(code string) string {
	switch code {
	case "bad_rule":
		return "rule"
	case "bad_reason":
		return "reason"
	case "bad_until":
		return "days"
	case "bad_action":
		return "action"
	}
	return "form"
}
