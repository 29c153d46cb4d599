package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// The article policy through both doors. The role matrix below acts as
// each role, once with its API token and once as a signed-in newsroom
// browser, on fresh articles in every state, the actor's own and another
// reporter's; TestPolicy_bothDoorsAnswerAsTheTable walks every cell of
// article.Policy through it.

// outcome is what a door answered, in the policy's terms.
type outcome string

const (
	allowedOK    outcome = "done"
	workflowSaid outcome = "allowed by the policy, refused by the workflow (409/422)"
	forbidden    outcome = "403"
	notFound     outcome = "404"
	notListed    outcome = "not in the list"
)

// permits reports an outcome in which the policy let the actor through.
func (o outcome) permits() bool { return o == allowedOK || o == workflowSaid }

func outcomeOf(status int) outcome {
	switch {
	case status < 400:
		return allowedOK
	case status == http.StatusForbidden:
		return forbidden
	case status == http.StatusNotFound:
		return notFound
	case status == http.StatusConflict || status == http.StatusUnprocessableEntity:
		return workflowSaid
	}
	return outcome(fmt.Sprintf("unexpected %d", status))
}

// door is one way in for an action: it acts as role on a (for create, a
// holds only the status asked for) and says what came back; "" when the
// door does not take that state.
type door func(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome

// doorMap says, for every action of the policy, which door each side
// has; nil is no door, with the reason in doorGaps.
var doorMap = map[article.Action]struct{ api, newsroom door }{
	article.ActRead:          {apiRead, newsroomRead},
	article.ActList:          {apiList, newsroomList},
	article.ActHistory:       {nil, newsroomGet("/revisions")},
	article.ActCreate:        {apiCreate, newsroomCreate},
	article.ActEdit:          {apiEdit, newsroomEdit},
	article.ActSubmit:        {apiStep("submit"), newsroomStep("submit")},
	article.ActSchedule:      {apiStep("schedule"), newsroomStep("schedule")},
	article.ActPublish:       {apiStep("publish"), newsroomStep("publish")},
	article.ActUnpublish:     {apiStep("unpublish"), newsroomStep("unpublish")},
	article.ActCorrect:       {nil, newsroomStep("corrections")},
	article.ActRestore:       {nil, newsroomStep("revisions/1/restore")},
	article.ActSetTime:       {apiSetTime, nil},
	article.ActChangeAddress: {nil, newsroomChangeAddress},
}

// doorGaps says why a side has no door for an action, or for some states.
var doorGaps = map[string]string{
	"api history":                   "the API has no revisions",
	"api correct":                   "the API has no corrections endpoint",
	"api restore":                   "the API has no revisions to restore",
	"api change-address":            "the API's article body has no slug",
	"newsroom set-publication-time": "the editor's form has no publication time; an editor sets one by scheduling",
	"newsroom create":               "the editor creates drafts only; other states are the API's",
}

func apiRead(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
	return outcomeOf(m.ts.api(t, "GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), role, nil, nil).StatusCode)
}

func newsroomRead(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
	return newsroomGet("")(t, m, role, a)
}

func newsroomGet(suffix string) door {
	return func(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
		res, _ := m.browsers[role].get(t, fmt.Sprintf("/newsroom/articles/%d%s", a.ID, suffix))
		return outcomeOf(res.StatusCode)
	}
}

func apiList(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
	res, body := m.ts.do(t, "GET", "/api/v1/articles?limit=100&status="+string(a.Status), m.ts.tokens[role], "")
	if res.StatusCode != http.StatusOK {
		return outcomeOf(res.StatusCode)
	}
	var list struct{ Articles []articleOut }
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	for _, x := range list.Articles {
		if x.ID == a.ID {
			return allowedOK
		}
	}
	return notListed
}

func newsroomList(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
	res, body := m.browsers[role].get(t, "/newsroom/articles?status="+string(a.Status))
	if res.StatusCode != http.StatusOK {
		return outcomeOf(res.StatusCode)
	}
	if regexp.MustCompile(fmt.Sprintf(`/newsroom/articles/%d["?]`, a.ID)).MatchString(body) {
		return allowedOK
	}
	return notListed
}

func apiCreate(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
	body := politicsArticle(fmt.Sprintf("Created in the matrix %d", m.n.Add(1)))
	body["status"] = string(a.Status)
	if a.Status == article.Scheduled {
		body["published_at"] = time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	}
	return outcomeOf(m.ts.api(t, "POST", "/api/v1/articles", role, body, nil).StatusCode)
}

func newsroomCreate(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
	if a.Status != article.Draft {
		return "" // no door: the editor creates drafts only
	}
	res, _ := m.browsers[role].post(t, "/newsroom/articles/new", articleForm(fmt.Sprintf("Created in the matrix %d", m.n.Add(1))))
	return outcomeOf(res.StatusCode)
}

func apiEdit(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
	return outcomeOf(m.ts.api(t, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), role,
		map[string]any{"deck": "Changed in the matrix", "version": a.Version}, nil).StatusCode)
}

func apiSetTime(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
	return outcomeOf(m.ts.api(t, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), role,
		map[string]any{"published_at": "2001-01-01T00:00:00Z", "version": a.Version}, nil).StatusCode)
}

// editForm is the editor's form for a as stored, from its version.
func editForm(a article.Article) url.Values {
	f := articleForm(a.Headline)
	f.Set("deck", "Changed in the matrix")
	f.Set("version", fmt.Sprint(a.Version))
	return f
}

func newsroomEdit(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
	res, _ := m.browsers[role].post(t, fmt.Sprintf("/newsroom/articles/%d", a.ID), editForm(a))
	return outcomeOf(res.StatusCode)
}

func newsroomChangeAddress(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
	f := editForm(a)
	f.Set("slug", fmt.Sprintf("moved-in-the-matrix-%d", m.n.Add(1)))
	res, _ := m.browsers[role].post(t, fmt.Sprintf("/newsroom/articles/%d", a.ID), f)
	return outcomeOf(res.StatusCode)
}

// apiStep posts a workflow step to the API, with the version read.
func apiStep(step string) door {
	return func(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
		var body any
		switch step {
		case "submit":
			body = map[string]any{"version": a.Version}
		case "schedule":
			body = map[string]any{"version": a.Version, "publish_at": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)}
		}
		return outcomeOf(m.ts.api(t, "POST", fmt.Sprintf("/api/v1/articles/%d/%s", a.ID, step), role, body, nil).StatusCode)
	}
}

// newsroomStep posts a workflow step's form, with the version read.
func newsroomStep(step string) door {
	return func(t *testing.T, m *roleMatrix, role account.Role, a article.Article) outcome {
		f := url.Values{"version": {fmt.Sprint(a.Version)}}
		switch step {
		case "schedule":
			f.Set("publish_at", time.Now().Add(72*time.Hour).In(m.ts.siteZone(t)).Format("2006-01-02T15:04"))
		case "corrections":
			f.Set("correction", "An earlier version misspelt the mayor's name.")
		}
		res, _ := m.browsers[role].post(t, fmt.Sprintf("/newsroom/articles/%d/%s", a.ID, step), f)
		return outcomeOf(res.StatusCode)
	}
}

// Every cell of the policy table (role × action × state × own or
// another's), through every door that action has: each door answers as
// the table says, and where both doors exist they answer the same. A
// refused read is 404 on both sides, so neither tells that the article
// exists.
func TestPolicy_bothDoorsAnswerAsTheTable(t *testing.T) {
	for _, a := range article.Actions {
		d, ok := doorMap[a]
		if !ok || d.api == nil && d.newsroom == nil {
			t.Fatalf("the action %q has no door in doorMap", a)
		}
		for side, fn := range map[string]door{"api": d.api, "newsroom": d.newsroom} {
			if fn == nil && doorGaps[side+" "+string(a)] == "" {
				t.Errorf("the %s has no door for %q and doorGaps does not say why", side, a)
			}
		}
	}
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		m := newRoleMatrix(t, e)
		cells := 0
		for _, role := range article.Roles {
			for _, action := range article.Actions {
				for _, state := range article.Statuses {
					for _, own := range []bool{true, false} {
						if action == article.ActCreate && !own {
							continue // a new article is always its creator's own
						}
						want := article.May(role, action, state, own)
						owner := m.other
						if own {
							owner = m.staff[role]
						}
						got := map[string]outcome{}
						for _, side := range []string{"api", "newsroom"} {
							fn := doorMap[action].api
							if side == "newsroom" {
								fn = doorMap[action].newsroom
							}
							if fn == nil {
								continue
							}
							target := article.Article{Status: state}
							if action != article.ActCreate {
								target = m.target(t, state, owner)
							}
							o := fn(t, m, role, target)
							if o == "" {
								continue
							}
							got[side] = o
							cells++
							if o.permits() != want {
								t.Errorf("%s: %s a %s article (own %v) through the %s: %s; the table says allowed = %v",
									role, action, state, own, side, o, want)
							}
							if action == article.ActRead && !want && o != notFound {
								t.Errorf("%s: reading a %s article (own %v) through the %s: %s, want 404", role, state, own, side, o)
							}
						}
						if api, nr := got["api"], got["newsroom"]; api != "" && nr != "" && api != nr {
							t.Errorf("%s: %s a %s article (own %v): the API answers %q, the newsroom %q", role, action, state, own, api, nr)
						}
					}
				}
			}
		}
		if cells < 250 {
			t.Errorf("walked %d door cells; the table has more", cells)
		}
	})
}

// The leaks the doors had, each asked of both: another reporter's draft
// is not found for a reporter or a moderator, and not listed; moderators
// write nothing; a reporter's backdated draft is refused with the rule.
func TestPolicy_draftsDoNotLeak(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		m := newRoleMatrix(t, e)
		draft := m.target(t, article.Draft, m.other)
		for _, role := range []account.Role{account.Reporter, account.Moderator} {
			for side, fn := range map[string]door{"api": apiRead, "newsroom": newsroomRead} {
				if o := fn(t, m, role, draft); o != notFound {
					t.Errorf("%s reads another reporter's draft through the %s: %s, want 404", role, side, o)
				}
			}
			if o := apiList(t, m, role, draft); o.permits() {
				t.Errorf("%s lists another reporter's draft through the API", role)
			}
		}
		res, body := m.ts.do(t, "POST", "/api/v1/articles", m.ts.tokens[account.Moderator], mustJSON(t, politicsArticleWith("status", "review")))
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("a moderator creating an article in review through the API: %d, want 403\n%s", res.StatusCode, body)
		}
		back := politicsArticleWith("status", "draft")
		back["published_at"] = "2001-01-01T00:00:00Z"
		res, body = m.ts.do(t, "POST", "/api/v1/articles", m.ts.tokens[account.Reporter], mustJSON(t, back))
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "publication time") {
			t.Errorf("a reporter's backdated draft: %d, want 403 naming the rule\n%s", res.StatusCode, body)
		}
		own := m.target(t, article.Draft, m.staff[account.Reporter])
		res, body = m.ts.do(t, "PATCH", fmt.Sprintf("/api/v1/articles/%d", own.ID), m.ts.tokens[account.Reporter], `{"published_at":"2001-01-01T00:00:00Z"}`)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "publication time") {
			t.Errorf("a reporter backdating their draft: %d, want 403 naming the rule\n%s", res.StatusCode, body)
		}
		// The editor's form takes no publication time from a reporter: a
		// time slipped into it is ignored, and the editor's publication
		// later gives the article its own.
		f := articleForm("Slipped a date in")
		f.Set("published_at", "2001-01-01T00:00")
		f.Set("publish_at", "2001-01-01T00:00")
		id := m.browsers[account.Reporter].createArticle(t, f)
		a, _ := m.ts.db.Article(context.Background(), id)
		f = editForm(a)
		f.Set("published_at", "2001-01-01T00:00")
		f.Set("publish_at", "2001-01-01T00:00")
		if res, _ := m.browsers[account.Reporter].post(t, fmt.Sprintf("/newsroom/articles/%d", id), f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the reporter's save: %d", res.StatusCode)
		}
		if a, _ = m.ts.db.Article(context.Background(), id); !a.PublishedAt.IsZero() {
			t.Errorf("the reporter's draft carries a publication time: %v", a.PublishedAt)
		}
		before := time.Now().Add(-time.Second)
		if res, _ := m.browsers[account.Editor].post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the editor's publication: %d", res.StatusCode)
		}
		if a, _ = m.ts.db.Article(context.Background(), id); a.PublishedAt.Before(before) {
			t.Errorf("published at %v, before the editor published it", a.PublishedAt)
		}
	})
}

func politicsArticleWith(k, v string) map[string]any {
	a := politicsArticle("Matrix story with " + v)
	a[k] = v
	return a
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
