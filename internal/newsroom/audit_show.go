package newsroom

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
)

// auditPageSize is how many entries a page of the audit log shows.
const auditPageSize = 50

type auditPage struct {
	page
	Entries    []audit.Entry
	Members    []account.Member
	StaffID    int64
	TargetType string
	NextURL    string // the next, older page; "" on the last
}

// GET /newsroom/audit?staff=&type=&before= — every staff action, newest
// first, filtered by staff member and by the kind of thing acted on, a
// page at a time (keyset paging on the entry id, so new entries never
// shift the pages being read).
func (h *handler) showAudit(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	query := audit.Query{Limit: auditPageSize + 1}
	var bad bool
	query.StaffID, bad = optionalID(q.Get("staff"))
	if before, b := optionalID(q.Get("before")); b || bad {
		bad = true
	} else {
		query.Before = before
	}
	query.TargetType = strings.TrimSpace(q.Get("type"))
	if bad || !validTargetType(query.TargetType) {
		h.message(w, r, v.L, v, http.StatusBadRequest, v.L.T("newsroom_audit_title"), v.L.T("newsroom_audit_bad_filter"))
		return
	}
	entries, err := h.audit.Entries(r.Context(), query)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	members, err := h.store.ListStaff(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	p := auditPage{page: h.visitPage(r, v, v.L.T("newsroom_audit_title"), "audit"), Members: members,
		StaffID: query.StaffID, TargetType: query.TargetType}
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		next := url.Values{"before": {strconv.FormatInt(entries[len(entries)-1].ID, 10)}}
		if query.StaffID != 0 {
			next.Set("staff", strconv.FormatInt(query.StaffID, 10))
		}
		if query.TargetType != "" {
			next.Set("type", query.TargetType)
		}
		p.NextURL = v.L.URL("/newsroom/audit?" + next.Encode())
	}
	p.Entries = entries
	h.render(w, r, http.StatusOK, "audit", p)
}

// optionalID reads an id from the address: "" is 0, anything but a
// positive number is bad.
func optionalID(s string) (id int64, bad bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err != nil || id <= 0
}

// validTargetType accepts the audit log's kinds of thing: short names in
// lower case, such as "article" or "staff".
func validTargetType(s string) bool {
	if len(s) > 40 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
