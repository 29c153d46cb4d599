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
	"broadsheet/internal/glossary"
	"broadsheet/internal/site"
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

// authorID is the id of the author with email, or an id no author has.
func authorID(t *testing.T, ts *testServer, email string) int64 {
	t.Helper()
	all, err := ts.db.Authors(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if a.Email == email {
			return a.ID
		}
	}
	return 999999
}

// authorStep builds a step on authors: a new one when target is "", else
// a change to the author with that email.
func authorStep(name string, role account.Role, ok bool, target string, f map[string]string) doorStep {
	op := "create"
	if target != "" {
		op = "update"
	}
	return doorStep{name: name, role: role, ok: ok, action: "author." + op,
		api: func(t *testing.T, ts *testServer) (string, string, any) {
			body := map[string]any{}
			for k, v := range f {
				body[k] = v
			}
			if target == "" {
				return "POST", "/api/v1/authors", body
			}
			return "PATCH", fmt.Sprintf("/api/v1/authors/%d", authorID(t, ts, target)), body
		},
		form: func(t *testing.T, ts *testServer) (string, url.Values) {
			v := url.Values{}
			path := "/newsroom/authors"
			if target != "" {
				id := authorID(t, ts, target)
				path = fmt.Sprintf("/newsroom/authors/%d", id)
				if a, err := ts.db.AuthorByID(context.Background(), id); err == nil {
					v = url.Values{"name": {a.Name}, "title": {a.Title}, "email": {a.Email}, "bio": {a.Bio}, "photo_url": {a.PhotoURL}}
				}
			}
			for k, val := range f {
				v.Set(k, val)
			}
			return path, v
		}}
}

func authorsState(t *testing.T, ts *testServer) string {
	t.Helper()
	all, err := ts.db.Authors(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, a := range all {
		rows = append(rows, strings.Join([]string{a.Email, a.Slug, a.Name, a.Title, a.Bio, a.PhotoURL}, "|"))
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// Authors: every case through both doors, which agree and audit alike
// (the API wrote no audit entry before).
func TestManageDoors_authors(t *testing.T) {
	ed, rep, mod, adm := account.Editor, account.Reporter, account.Moderator, account.Admin
	steps := []doorStep{
		authorStep("create", ed, true, "", map[string]string{"name": "Min Seo", "email": "Min@Paper.Example", "title": "Reporter", "bio": "Covers cities."}),
		authorStep("create by an admin", adm, true, "", map[string]string{"name": "Jo Park", "email": "jo@paper.example"}),
		authorStep("no name", ed, false, "", map[string]string{"name": " ", "email": "noname@paper.example"}),
		authorStep("bad email", ed, false, "", map[string]string{"name": "Bad Mail", "email": "not an address"}),
		authorStep("long title", ed, false, "", map[string]string{"name": "Long", "email": "long@paper.example", "title": strings.Repeat("t", 121)}),
		authorStep("long bio", ed, false, "", map[string]string{"name": "Long", "email": "long@paper.example", "bio": strings.Repeat("b", 2001)}),
		authorStep("email taken", ed, false, "", map[string]string{"name": "Twin", "email": "min@paper.example"}),
		authorStep("create by a reporter", rep, false, "", map[string]string{"name": "Rep", "email": "rep@paper.example"}),
		authorStep("create by a moderator", mod, false, "", map[string]string{"name": "Mod", "email": "mod@paper.example"}),
		authorStep("change", ed, true, "min@paper.example", map[string]string{"title": "Senior reporter", "bio": "Covers cities and housing."}),
		authorStep("change the email", ed, true, "min@paper.example", map[string]string{"email": "minseo@paper.example"}),
		authorStep("change to a taken email", ed, false, "minseo@paper.example", map[string]string{"email": "jo@paper.example"}),
		authorStep("change to no name", ed, false, "minseo@paper.example", map[string]string{"name": ""}),
		authorStep("change by a reporter", rep, false, "minseo@paper.example", map[string]string{"title": "Mine"}),
		authorStep("change a missing author", ed, false, "ghost@paper.example", map[string]string{"name": "Ghost", "email": "ghost@paper.example"}),
	}
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		runBothDoors(t, e, authorsState, steps)
	})
}

// pageStep builds a step on static pages: the API puts the page at its
// slug; the newsroom adds it, or changes the one with that slug.
func pageStep(name string, role account.Role, ok bool, slug, title, body string) doorStep {
	return doorStep{name: name, role: role, ok: ok,
		api: func(t *testing.T, ts *testServer) (string, string, any) {
			return "PUT", "/api/v1/pages/" + url.PathEscape(slug), map[string]any{"title": title, "body": body}
		},
		form: func(t *testing.T, ts *testServer) (string, url.Values) {
			v := url.Values{"slug": {slug}, "title": {title}, "body": {body}}
			if p, err := ts.db.PageBySlug(context.Background(), slug); err == nil {
				return fmt.Sprintf("/newsroom/pages/%d", p.ID), v
			}
			return "/newsroom/pages", v
		}}
}

func pagesState(t *testing.T, ts *testServer) string {
	t.Helper()
	all, err := ts.db.Pages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, p := range all {
		full, err := ts.db.PageBySlug(context.Background(), p.Slug)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, strings.Join([]string{full.Slug, full.Title, full.Body, full.BodyHTML}, "|"))
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// Static pages: both doors check alike — the API no longer takes a
// Standards Board Policy without its numbered rules — and both audit.
func TestManageDoors_pages(t *testing.T) {
	ed, rep, mod, adm := account.Editor, account.Reporter, account.Moderator, account.Admin
	withRules := "# Standards\n\n1. Be civil.\n2. Stay on topic.\n"
	steps := []doorStep{
		withAction(pageStep("create", ed, true, "colophon", "Colophon", "Set in *Noto Serif*."), "page.create"),
		withAction(pageStep("create by an admin", adm, true, "ethics", "Ethics", "We correct our mistakes."), "page.create"),
		pageStep("bad slug", ed, false, "Bad_Slug", "Bad", "Text"),
		pageStep("no title", ed, false, "untitled", " ", "Text"),
		pageStep("title on two lines", ed, false, "twolines", "One\nTwo", "Text"),
		pageStep("no body", ed, false, "empty", "Empty", "  "),
		pageStep("body too large", ed, false, "huge", "Huge", strings.Repeat("a", 256<<10+1)),
		pageStep("create by a reporter", rep, false, "rep", "Rep", "Text"),
		pageStep("create by a moderator", mod, false, "mod", "Mod", "Text"),
		withAction(pageStep("change", ed, true, "colophon", "Colophon and credits", "Set in *Noto Serif*, printed on paper."), "page.update"),
		pageStep("change to no body", ed, false, "colophon", "Colophon", ""),
		pageStep("change by a reporter", rep, false, "colophon", "Mine", "Mine"),
		pageStep("policy without its rules", ed, false, "standards-board-policy", "Standards Board Policy", "Be nice."),
		withAction(pageStep("policy with its rules", ed, true, "standards-board-policy", "Standards Board Policy", withRules), "page.update"),
	}
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		runBothDoors(t, e, pagesState, steps)
	})
}

func withAction(s doorStep, action string) doorStep {
	s.action = action
	return s
}

// settingsStep changes the given site settings; the newsroom's form
// sends the others as they are.
func settingsStep(name string, role account.Role, ok bool, f map[string]string) doorStep {
	return doorStep{name: name, role: role, ok: ok, action: "settings.update",
		api: func(t *testing.T, ts *testServer) (string, string, any) {
			body := map[string]any{}
			for k, v := range f {
				body[k] = v
			}
			return "PATCH", "/api/v1/settings", body
		},
		form: func(t *testing.T, ts *testServer) (string, url.Values) {
			m, err := ts.db.Settings(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			v := url.Values{}
			for k, val := range site.FromMap(m).Map() {
				v.Set(k, val)
			}
			for k, val := range f {
				v.Set(k, val)
			}
			return "/newsroom/settings", v
		}}
}

func settingsState(t *testing.T, ts *testServer) string {
	t.Helper()
	m, err := ts.db.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(site.FromMap(m).Map())
}

// Site settings: admins only, checked alike at both doors, and audited
// by both (the API wrote no audit entry before).
func TestManageDoors_siteSettings(t *testing.T) {
	ed, rep, mod, adm := account.Editor, account.Reporter, account.Moderator, account.Admin
	steps := []doorStep{
		settingsStep("change", adm, true, map[string]string{"site_name": "The Morning Post", "locale": "ko", "timezone": "Europe/Berlin"}),
		settingsStep("no name", adm, false, map[string]string{"site_name": " "}),
		settingsStep("name on two lines", adm, false, map[string]string{"site_name": "One\nTwo"}),
		settingsStep("unknown language", adm, false, map[string]string{"locale": "fr"}),
		settingsStep("unknown time zone", adm, false, map[string]string{"timezone": "Mars/Olympus"}),
		settingsStep("local time zone", adm, false, map[string]string{"timezone": "Local"}),
		settingsStep("change by an editor", ed, false, map[string]string{"site_name": "Editor's Paper"}),
		settingsStep("change by a reporter", rep, false, map[string]string{"site_name": "Reporter's Paper"}),
		settingsStep("change by a moderator", mod, false, map[string]string{"site_name": "Moderator's Paper"}),
		settingsStep("change back", adm, true, map[string]string{"site_name": "Broadsheet Daily", "locale": "en", "timezone": "Asia/Seoul"}),
	}
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		runBothDoors(t, e, settingsState, steps)
	})
}

// topStoriesStep sets the home page's top stories to the articles
// picked from the site's published ones (by index into newest first;
// -1 for an id no article has).
func topStoriesStep(name string, role account.Role, ok bool, pick ...int) doorStep {
	ids := func(t *testing.T, ts *testServer) []int64 {
		list, err := ts.db.ListArticles(context.Background(), articleQueryAll)
		if err != nil {
			t.Fatal(err)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
		out := []int64{}
		for _, i := range pick {
			if i < 0 {
				out = append(out, 999999)
			} else {
				out = append(out, list[i%len(list)].ID)
			}
		}
		return out
	}
	return doorStep{name: name, role: role, ok: ok, action: "curation.home",
		api: func(t *testing.T, ts *testServer) (string, string, any) {
			return "PUT", "/api/v1/top-stories", map[string]any{"article_ids": ids(t, ts)}
		},
		form: func(t *testing.T, ts *testServer) (string, url.Values) {
			v := url.Values{}
			for i, id := range ids(t, ts) {
				v.Set(fmt.Sprintf("pos_%d", id), fmt.Sprint(i+1))
			}
			return "/newsroom/curation", v
		}}
}

func topStoriesState(t *testing.T, ts *testServer) string {
	t.Helper()
	top, err := ts.db.TopStories(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range top {
		ids = append(ids, fmt.Sprint(a.ID))
	}
	return strings.Join(ids, ",")
}

// The home page's top stories: one check of the list and one audit
// entry at both doors (the API wrote none before).
func TestManageDoors_topStories(t *testing.T) {
	ed, rep, mod, adm := account.Editor, account.Reporter, account.Moderator, account.Admin
	many := make([]int, 21)
	for i := range many {
		many[i] = i
	}
	steps := []doorStep{
		topStoriesStep("pick three", ed, true, 2, 0, 1),
		topStoriesStep("pick by an admin", adm, true, 1, 3),
		topStoriesStep("an unknown article", ed, false, 1, -1),
		topStoriesStep("too many", ed, false, many...),
		topStoriesStep("pick by a reporter", rep, false, 4),
		topStoriesStep("pick by a moderator", mod, false, 4),
		topStoriesStep("clear", ed, true),
	}
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		runBothDoors(t, e, topStoriesState, steps)
	})
}

// glossaryID is the id of the entry for headword in lang, or an id no
// entry has.
func glossaryID(t *testing.T, ts *testServer, headword, lang string) int64 {
	t.Helper()
	id := int64(999999)
	err := ts.db.EachGlossaryEntry(context.Background(), func(e glossary.Entry) error {
		if e.Headword == headword && e.Lang == lang {
			id = e.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// glossaryStep builds a step on the glossary: op is "create", "update"
// or "delete"; target is "headword/lang" of the entry changed.
func glossaryStep(name string, role account.Role, ok bool, op, target string, f map[string]string) doorStep {
	word, lang, _ := strings.Cut(target, "/")
	return doorStep{name: name, role: role, ok: ok, action: "glossary." + op,
		api: func(t *testing.T, ts *testServer) (string, string, any) {
			body := map[string]any{}
			for k, v := range f {
				body[k] = v
			}
			switch op {
			case "create":
				return "POST", "/api/v1/glossary", body
			case "update":
				return "PATCH", fmt.Sprintf("/api/v1/glossary/%d", glossaryID(t, ts, word, lang)), body
			}
			return "DELETE", fmt.Sprintf("/api/v1/glossary/%d", glossaryID(t, ts, word, lang)), nil
		},
		form: func(t *testing.T, ts *testServer) (string, url.Values) {
			v := url.Values{}
			switch op {
			case "create":
				for k, val := range f {
					v.Set(k, val)
				}
				return "/newsroom/glossary", v
			case "delete":
				return fmt.Sprintf("/newsroom/glossary/%d/delete", glossaryID(t, ts, word, lang)), v
			}
			id := glossaryID(t, ts, word, lang)
			if e, err := ts.db.GlossaryEntry(context.Background(), id); err == nil {
				v = url.Values{"headword": {e.Headword}, "lang": {e.Lang}, "translation": {e.Translation}, "note": {e.Note}}
			}
			for k, val := range f {
				v.Set(k, val)
			}
			return fmt.Sprintf("/newsroom/glossary/%d", id), v
		}}
}

func glossaryState(t *testing.T, ts *testServer) string {
	t.Helper()
	var rows []string
	err := ts.db.EachGlossaryEntry(context.Background(), func(e glossary.Entry) error {
		rows = append(rows, strings.Join([]string{e.Headword, e.Lang, e.Translation, e.Note}, "|"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// The glossary: its service now writes the audit entry, in the change's
// transaction, for the API as for the newsroom (the API wrote none).
func TestManageDoors_glossary(t *testing.T) {
	ed, rep, mod, adm := account.Editor, account.Reporter, account.Moderator, account.Admin
	steps := []doorStep{
		glossaryStep("create", ed, true, "create", "", map[string]string{"headword": "Chaebol", "lang": "en", "translation": "재벌", "note": "family-run conglomerate"}),
		glossaryStep("create by an admin", adm, true, "create", "", map[string]string{"headword": "hanok", "lang": "ko", "translation": "traditional house"}),
		glossaryStep("no headword", ed, false, "create", "", map[string]string{"headword": " ", "lang": "en", "translation": "x"}),
		glossaryStep("bad language", ed, false, "create", "", map[string]string{"headword": "kimchi", "lang": "not a tag!", "translation": "x"}),
		glossaryStep("no translation", ed, false, "create", "", map[string]string{"headword": "kimchi", "lang": "en", "translation": ""}),
		glossaryStep("duplicate", ed, false, "create", "", map[string]string{"headword": "chaebol", "lang": "en", "translation": "again"}),
		glossaryStep("create by a reporter", rep, false, "create", "", map[string]string{"headword": "rep", "lang": "en", "translation": "x"}),
		glossaryStep("create by a moderator", mod, false, "create", "", map[string]string{"headword": "mod", "lang": "en", "translation": "x"}),
		glossaryStep("change", ed, true, "update", "chaebol/en", map[string]string{"note": "conglomerate run by a family"}),
		glossaryStep("change to no translation", ed, false, "update", "chaebol/en", map[string]string{"translation": " "}),
		glossaryStep("change by a reporter", rep, false, "update", "chaebol/en", map[string]string{"note": "mine"}),
		glossaryStep("change a missing entry", ed, false, "update", "ghost/en", map[string]string{"headword": "ghost", "lang": "en", "translation": "x"}),
		glossaryStep("delete by a reporter", rep, false, "delete", "hanok/ko", nil),
		glossaryStep("delete a missing entry", ed, false, "delete", "ghost/en", nil),
		glossaryStep("delete", ed, true, "delete", "hanok/ko", nil),
	}
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		runBothDoors(t, e, glossaryState, steps)
	})
}
