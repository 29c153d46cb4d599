package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

// The comments of an article that is taken off the site go with it: out
// of every public list, and out of reach of reactions, reports, replies
// and edits, through the API and the site's forms alike, until the
// article is published again.
func TestComments_unpublishedArticleTakesItsCommentsAlong(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, nil)
		a := ts.publishedArticle(t, 0)
		author, fan := ts.newCommenter(t, "Writer", true), ts.newCommenter(t, "Reader", true)
		_, body := author.post(t, a.ID, "Said on the record")
		c := decodeJSON[commentJSON](t, body)
		_, body = author.post(t, ts.publishedArticle(t, 1).ID, "Said elsewhere")
		other := decodeJSON[commentJSON](t, body)
		history := fmt.Sprintf("/api/v1/readers/%d/comments", author.id)
		ids := func() []int64 {
			t.Helper()
			res, body := ts.get(t, history)
			if res.StatusCode != 200 {
				t.Fatalf("history: %d %s", res.StatusCode, body)
			}
			var out []int64
			for _, c := range decodeJSON[struct{ Comments []commentJSON }](t, body).Comments {
				out = append(out, c.ID)
			}
			return out
		}
		if got := ids(); len(got) != 2 {
			t.Fatalf("history before: %v, want both comments", got)
		}
		setStatus := func(action string) {
			t.Helper()
			if res := ts.api(t, "POST", fmt.Sprintf("/api/v1/articles/%d/%s", a.ID, action), account.Editor, nil, nil); res.StatusCode != 200 {
				t.Fatalf("%s: %d", action, res.StatusCode)
			}
		}
		setStatus("unpublish")

		if got := ids(); len(got) != 1 || got[0] != other.ID {
			t.Errorf("history of the reader after unpublishing: %v, want only %d", got, other.ID)
		}
		if _, page := ts.get(t, fmt.Sprintf("/reader/%d", author.id)); strings.Contains(page, "Said on the record") || !strings.Contains(page, "Said elsewhere") {
			t.Error("the reader's public page still shows the comment on the unpublished article (or lost the other)")
		}
		if res, _ := ts.get(t, fmt.Sprintf("/api/v1/articles/%d/comments", a.ID)); res.StatusCode != 404 {
			t.Errorf("comment list of the unpublished article: %d, want 404", res.StatusCode)
		}
		if res, _ := ts.get(t, a.URL()+"/comments?partial=1"); res.StatusCode != 404 {
			t.Errorf("comments block of the unpublished article: %d, want 404", res.StatusCode)
		}

		refusedAPI := []struct {
			who          *commenter
			method, path string
			body         map[string]any
		}{
			{fan, "PUT", fmt.Sprintf("/api/v1/comments/%d/reaction", c.ID), map[string]any{"value": 1}},
			{fan, "POST", fmt.Sprintf("/api/v1/comments/%d/reports", c.ID), map[string]any{"reason": "Rule 1"}},
			{fan, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "A reply", "parent_id": c.ID}},
			{author, "PATCH", fmt.Sprintf("/api/v1/comments/%d", c.ID), map[string]any{"body": "Said again"}},
		}
		for _, q := range refusedAPI {
			res, body := q.who.api(t, q.method, q.path, q.body)
			if res.StatusCode != 404 {
				t.Errorf("%s %s on the unpublished article: %d %s, want 404", q.method, q.path, res.StatusCode, body)
				continue
			}
			if r := decodeJSON[refusalJSON](t, body); r.Code != "not_found" || r.Error == "" {
				t.Errorf("%s %s on the unpublished article: %d %s, want 404 not_found with a sentence", q.method, q.path, res.StatusCode, body)
			}
		}
		refusedForms := []struct {
			who    *commenter
			path   string
			values url.Values
		}{
			{fan, fmt.Sprintf("/comments/%d/reaction", c.ID), url.Values{"value": {"1"}}},
			{fan, fmt.Sprintf("/comments/%d/report", c.ID), url.Values{"reason": {"Rule 1"}}},
			{author, fmt.Sprintf("/comments/%d/edit", c.ID), url.Values{"body": {"Said again"}}},
		}
		for _, q := range refusedForms {
			q.values.Set("csrf", q.who.csrf)
			if res, page := q.who.form(t, q.path, q.values); res.StatusCode != 404 || !strings.Contains(page, "no longer exists") {
				t.Errorf("form %s on the unpublished article: %d, want 404 saying the comment no longer exists", q.path, res.StatusCode)
			}
		}
		// A reply goes to the article's comments page, which is gone with it.
		if res, _ := fan.form(t, a.URL()+"/comments", url.Values{"body": {"A reply"}, "parent_id": {fmt.Sprint(c.ID)}, "csrf": {fan.csrf}}); res.StatusCode != 404 {
			t.Errorf("reply form on the unpublished article: %d, want 404", res.StatusCode)
		}
		stored, err := ts.db.Comment(t.Context(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Likes != 0 || stored.Reports != 0 || stored.Body != "Said on the record" || stored.Edited() {
			t.Errorf("the refused actions changed the comment: %+v", stored)
		}

		setStatus("publish")
		if got := ids(); len(got) != 2 {
			t.Errorf("history after publishing again: %v, want both comments", got)
		}
		if res, body := fan.api(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/reaction", c.ID), map[string]any{"value": 1}); res.StatusCode != 200 {
			t.Errorf("reaction after publishing again: %d %s", res.StatusCode, body)
		}
		if res, body := fan.api(t, "POST", fmt.Sprintf("/api/v1/comments/%d/reports", c.ID), map[string]any{"reason": "Rule 1"}); res.StatusCode != 204 {
			t.Errorf("report after publishing again: %d %s", res.StatusCode, body)
		}
	})
}

// The moderation queue keeps the held comments of an article taken off
// the site, but shows a moderator nothing of the article that the policy
// hides from them: not the headline an editor writes after taking it down.
func TestNewsroom_queueShowsModeratorsNoUnpublishedHeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ts.raiseLimits(t, nil)
		mod, editor := ts.signIn(t, "moderator@paper.example"), ts.signIn(t, "editor@paper.example")
		a := ts.publishedArticle(t, 0)
		if res, body := editor.post(t, "/newsroom/moderation/settings", url.Values{"comments_mode": {"pre"}}); res.StatusCode != 303 {
			t.Fatalf("settings: %d\n%s", res.StatusCode, body)
		}
		_, body := ts.newCommenter(t, "Writer", true).post(t, a.ID, "Waiting for a moderator")
		if c := decodeJSON[commentJSON](t, body); c.Status != "held" {
			t.Fatalf("comment %q, want held", c.Status)
		}
		if res := ts.api(t, "POST", fmt.Sprintf("/api/v1/articles/%d/unpublish", a.ID), account.Editor, nil, nil); res.StatusCode != 200 {
			t.Fatalf("unpublish: %d", res.StatusCode)
		}
		secret := "Draft headline nobody outside the desk may see"
		if res := ts.api(t, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), account.Editor, map[string]any{"headline": secret}, nil); res.StatusCode != 200 {
			t.Fatalf("retitle: %d", res.StatusCode)
		}
		_, queue := mod.get(t, "/newsroom/moderation?show=held")
		if !strings.Contains(queue, "Waiting for a moderator") {
			t.Error("the held comment left the queue")
		}
		if strings.Contains(queue, secret) {
			t.Error("the queue shows a moderator the unpublished article's new headline")
		}
		if _, queue := editor.get(t, "/newsroom/moderation?show=held"); !strings.Contains(queue, secret) {
			t.Error("an editor, who may read the draft, does not see its headline in the queue")
		}
	})
}

// A moderator sets the comment mode of the articles the policy lets them
// read, the published ones, through either door; another reporter's
// draft answers as if it did not exist, and an editor may set it.
func TestCommentMode_followsTheArticlePolicyThroughBothDoors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		mod, editor := ts.signIn(t, "moderator@paper.example"), ts.signIn(t, "editor@paper.example")
		pub := ts.publishedArticle(t, 0)
		var draft struct{ ID int64 }
		if res := ts.api(t, "POST", "/api/v1/articles", account.Reporter, map[string]any{"headline": "A reporter's draft", "body": "Not yet.",
			"section": "national", "authors": []map[string]string{{"name": "R", "email": "r@paper.example"}}}, &draft); res.StatusCode != 201 {
			t.Fatalf("draft: %d", res.StatusCode)
		}
		mode := func(id int64) string { return fmt.Sprintf("/api/v1/moderation/modes/article/%d", id) }
		form := func(id int64) url.Values {
			return url.Values{"scope": {"article"}, "id": {fmt.Sprint(id)}, "mode": {"closed"}}
		}
		for _, tc := range []struct {
			who      account.Role
			b        *staffBrowser
			id       int64
			api, web int
		}{
			{account.Moderator, mod, pub.ID, 200, 303},
			{account.Moderator, mod, draft.ID, 404, 422},
			{account.Editor, editor, draft.ID, 200, 303},
		} {
			if res := ts.api(t, "PUT", mode(tc.id), tc.who, map[string]any{"mode": "closed"}, nil); res.StatusCode != tc.api {
				t.Errorf("API: %s sets the mode of article %d: %d, want %d", tc.who, tc.id, res.StatusCode, tc.api)
			}
			if res, body := tc.b.post(t, "/newsroom/moderation/modes", form(tc.id)); res.StatusCode != tc.web {
				t.Errorf("newsroom: %s sets the mode of article %d: %d, want %d\n%.300s", tc.who, tc.id, res.StatusCode, tc.web, body)
			}
		}
	})
}
