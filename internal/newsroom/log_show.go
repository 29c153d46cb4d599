package newsroom

import (
	"net/http"
	"strconv"

	"broadsheet/internal/comment"
)

// logSize is how many decisions one page of the log shows.
const logSize = 100

type logPage struct {
	page
	Rows   []logRow
	Before int64 // this page starts below this entry; 0 for the newest
	Older  int64 // the ?before= of the next page; 0 when there is none
}

// logRow is a decision with its rule spelled out.
type logRow struct {
	comment.LogEntry
	RuleText string
}

func logRows(l locale, pol comment.Policy, list []comment.LogEntry) []logRow {
	out := make([]logRow, len(list))
	for i, e := range list {
		out[i] = logRow{LogEntry: e, RuleText: ruleText(l, pol, e.Rule)}
	}
	return out
}

// GET /newsroom/moderation/log?before=ID — every moderation decision,
// by staff and by the rules, newest first.
func (h *handler) showLog(w http.ResponseWriter, r *http.Request, v *visit) {
	var before int64
	if s := r.URL.Query().Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			h.message(w, r, v.L, v, http.StatusBadRequest, v.L.T("newsroom_bad_request_title"), v.L.T("newsroom_log_bad_before"))
			return
		}
		before = n
	}
	// One more than a page tells whether an older page exists.
	list, err := h.comments.Log(r.Context(), 0, before, logSize+1)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	pol, err := h.comments.Policy(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	p := logPage{page: h.visitPage(r, v, v.L.T("newsroom_log_title"), "log"), Before: before}
	if len(list) > logSize {
		list = list[:logSize]
		p.Older = list[logSize-1].ID
	}
	p.Rows = logRows(v.L, pol, list)
	h.render(w, r, http.StatusOK, "log", p)
}
