package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
	"broadsheet/internal/store/storetest"
)

// doorStep is one change the JSON API and the newsroom's pages both
// offer, said once and sent through each door in its own words.
type doorStep struct {
	name   string
	role   account.Role
	ok     bool   // whether the change is made
	action string // the audit entry a change made writes
	// api is the request; body nil for none.
	api func(t *testing.T, ts *testServer) (method, path string, body any)
	// form is the newsroom form a browser posts.
	form func(t *testing.T, ts *testServer) (path string, values url.Values)
}

// doorOutcome is what one step did through one door.
type doorOutcome struct {
	made   bool   // 2xx from the API, 303 from the newsroom
	status int    // for the failure message
	state  string // what is stored afterwards
}

// runBothDoors sends every step through the API on one fresh site and
// through the newsroom on another, and checks that each step is made or
// refused as expected, alike at both doors, with exactly one audit entry
// for each change made and none for a refusal, and that both sites store
// the same after every step.
func runBothDoors(t *testing.T, e storetest.Engine, state func(t *testing.T, ts *testServer) string, steps []doorStep) {
	t.Helper()
	doors := map[string][]doorOutcome{}
	for _, door := range []string{"api", "newsroom"} {
		ts := staffTestServer(t, e)
		browsers := map[account.Role]*staffBrowser{}
		if door == "newsroom" {
			for _, r := range []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin} {
				browsers[r] = ts.signIn(t, string(r)+"@paper.example")
			}
		}
		for _, s := range steps {
			before, n := state(t, ts), len(auditLog(t, ts))
			var out doorOutcome
			var body string
			if door == "api" {
				method, path, req := s.api(t, ts)
				res := ts.api(t, method, path, s.role, req, nil)
				out.status, out.made = res.StatusCode, res.StatusCode/100 == 2
			} else {
				path, values := s.form(t, ts)
				var res *http.Response
				res, body = browsers[s.role].post(t, path, values)
				out.status, out.made = res.StatusCode, res.StatusCode == http.StatusSeeOther
			}
			out.state = state(t, ts)
			doors[door] = append(doors[door], out)
			log := auditLog(t, ts)
			switch {
			case out.made != s.ok:
				t.Errorf("%s via %s: status %d, want the change made=%v\n%.300s", s.name, door, out.status, s.ok, body)
			case !s.ok && out.status/100 != 4:
				t.Errorf("%s via %s: refused with %d, want a 4xx", s.name, door, out.status)
			case !s.ok && out.state != before:
				t.Errorf("%s via %s: refused, but the stored state changed:\n%s\n→\n%s", s.name, door, before, out.state)
			case s.ok && (len(log) != n+1 || log[0].Action != s.action):
				t.Errorf("%s via %s: %d audit entries added, want exactly one %q", s.name, door, len(log)-n, s.action)
			case !s.ok && len(log) != n:
				t.Errorf("%s via %s: refused, but %d audit entries were added", s.name, door, len(log)-n)
			}
		}
	}
	for i, s := range steps {
		a, n := doors["api"][i], doors["newsroom"][i]
		if a.state != n.state {
			t.Errorf("%s: the doors store different things:\nAPI:      %s\nnewsroom: %s", s.name, a.state, n.state)
		}
	}
}

// auditLog is the whole audit log, newest first.
func auditLog(t *testing.T, ts *testServer) []audit.Entry {
	t.Helper()
	es, err := ts.db.AuditEntries(context.Background(), audit.Query{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 200 {
		t.Fatal("the audit log outgrew the test's page")
	}
	return es
}

// sectionID is the id of the section at path, or an id no section has.
func sectionID(t *testing.T, ts *testServer, path string) int64 {
	t.Helper()
	s, err := ts.db.SectionByPath(context.Background(), path)
	if err != nil {
		return 999999
	}
	return s.ID
}

// sectionFields are a section's fields as a step names them: the
// parent by path.
type sectionFields map[string]any

// sectionStep builds a step on sections: op is "create", "update" or
// "delete"; target is the path of the section changed.
func sectionStep(name string, role account.Role, ok bool, op, target string, f sectionFields) doorStep {
	return doorStep{name: name, role: role, ok: ok, action: "section." + op,
		api: func(t *testing.T, ts *testServer) (string, string, any) {
			switch op {
			case "create":
				return "POST", "/api/v1/sections", map[string]any(f)
			case "update":
				return "PATCH", fmt.Sprintf("/api/v1/sections/%d", sectionID(t, ts, target)), map[string]any(f)
			}
			return "DELETE", fmt.Sprintf("/api/v1/sections/%d", sectionID(t, ts, target)), nil
		},
		form: func(t *testing.T, ts *testServer) (string, url.Values) {
			v := url.Values{}
			path := "/newsroom/sections"
			switch op {
			case "update":
				id := sectionID(t, ts, target)
				path = fmt.Sprintf("/newsroom/sections/%d", id)
				if s, err := ts.db.SectionByID(context.Background(), id); err == nil {
					// The form shows every field: what the step leaves
					// alone is sent as it is.
					v = sectionForm(s.Name, s.Slug, s.ParentID, s.Description, fmt.Sprint(s.Position))
				}
			case "delete":
				return fmt.Sprintf("/newsroom/sections/%d/delete", sectionID(t, ts, target)), v
			}
			for k, val := range f {
				if k == "parent" {
					val = ""
					if p := f[k].(string); p != "" {
						val = fmt.Sprint(sectionID(t, ts, p))
					}
				}
				v.Set(k, fmt.Sprint(val))
			}
			return path, v
		}}
}

func sectionsState(t *testing.T, ts *testServer) string {
	t.Helper()
	all, err := ts.db.Sections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	paths := map[int64]string{}
	for _, s := range all {
		paths[s.ID] = s.Path
	}
	var rows []string
	for _, s := range all {
		rows = append(rows, fmt.Sprintf("%s|%s|%s|%d|%s", s.Path, s.Name, s.Description, s.Position, paths[s.ParentID]))
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// Sections: every case through both doors, which agree; a section moves
// through the API as through the newsroom, and both audit it.
func TestManageDoors_sections(t *testing.T) {
	ed, rep, mod, adm := account.Editor, account.Reporter, account.Moderator, account.Admin
	long := strings.Repeat("x", 501)
	steps := []doorStep{
		sectionStep("create", ed, true, "create", "", sectionFields{"slug": "books", "name": "Books", "parent": "culture", "description": "Reviews", "position": 3}),
		sectionStep("create by an admin", adm, true, "create", "", sectionFields{"slug": "maps", "name": "Maps"}),
		sectionStep("bad slug", ed, false, "create", "", sectionFields{"slug": "Bad Slug", "name": "Bad"}),
		sectionStep("no name", ed, false, "create", "", sectionFields{"slug": "noname", "name": " "}),
		sectionStep("long description", ed, false, "create", "", sectionFields{"slug": "wordy", "name": "Wordy", "description": long}),
		sectionStep("position too large", ed, false, "create", "", sectionFields{"slug": "far", "name": "Far", "position": 10000}),
		sectionStep("negative position", ed, false, "create", "", sectionFields{"slug": "neg", "name": "Neg", "position": -1}),
		sectionStep("unknown parent", ed, false, "create", "", sectionFields{"slug": "orphan", "name": "Orphan", "parent": "nowhere"}),
		sectionStep("duplicate path", ed, false, "create", "", sectionFields{"slug": "books", "name": "Books again", "parent": "culture"}),
		sectionStep("create by a reporter", rep, false, "create", "", sectionFields{"slug": "rep", "name": "Rep"}),
		sectionStep("create by a moderator", mod, false, "create", "", sectionFields{"slug": "mod", "name": "Mod"}),
		sectionStep("rename", ed, true, "update", "culture/books", sectionFields{"name": "Book reviews", "description": "New books"}),
		sectionStep("rename to nothing", ed, false, "update", "culture/books", sectionFields{"name": ""}),
		sectionStep("move to the top", ed, true, "update", "culture/books", sectionFields{"parent": ""}),
		sectionStep("new slug", ed, true, "update", "books", sectionFields{"slug": "reading"}),
		sectionStep("child", ed, true, "create", "", sectionFields{"slug": "fiction", "name": "Fiction", "parent": "reading"}),
		sectionStep("move under itself", ed, false, "update", "reading", sectionFields{"parent": "reading"}),
		sectionStep("move under its child", ed, false, "update", "reading", sectionFields{"parent": "reading/fiction"}),
		sectionStep("slug taken", ed, false, "update", "reading", sectionFields{"slug": "culture"}),
		sectionStep("move under a section", ed, true, "update", "reading", sectionFields{"parent": "culture", "position": 9}),
		sectionStep("change by a reporter", rep, false, "update", "culture/reading", sectionFields{"name": "Mine"}),
		sectionStep("change a missing section", ed, false, "update", "nowhere", sectionFields{"name": "Ghost"}),
		sectionStep("delete one in use", ed, false, "delete", "culture/reading", nil),
		sectionStep("delete by a reporter", rep, false, "delete", "culture/reading/fiction", nil),
		sectionStep("delete a missing section", ed, false, "delete", "nowhere", nil),
		sectionStep("delete", ed, true, "delete", "culture/reading/fiction", nil),
		sectionStep("delete the emptied parent", adm, true, "delete", "culture/reading", nil),
	}
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		runBothDoors(t, e, sectionsState, steps)
	})
}
