package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

func TestComments_articlePageStaysCachedWhileCommentsAreLive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		a := ts.publishedArticle(t, 0)
		first, _ := ts.get(t, a.URL())
		etag := first.Header.Get("ETag")
		c := ts.newCommenter(t, "Do-yun", true)
		res, body := c.post(t, a.ID, "Live within a second")
		if res.StatusCode != 201 {
			t.Fatalf("post: %d %s", res.StatusCode, body)
		}
		again, html := ts.get(t, a.URL())
		if again.Header.Get("ETag") != etag || again.Header.Get("X-Cache") == "miss" {
			t.Errorf("the article page changed after a comment: ETag %q → %q", etag, again.Header.Get("ETag"))
		}
		if !strings.Contains(html, `data-src="`+a.URL()+`/comments?partial=1"`) {
			t.Error("the article page does not point its script at the comments block")
		}
		// Another reader, not signed in, sees it at once: the block is never cached.
		res, block := ts.get(t, a.URL()+"/comments?partial=1")
		if res.StatusCode != 200 || !strings.Contains(block, "Live within a second") || res.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("comments block: %d, Cache-Control %q, has comment %v", res.StatusCode, res.Header.Get("Cache-Control"),
				strings.Contains(block, "Live within a second"))
		}
		if strings.Contains(block, "<html") {
			t.Error("the partial block carries the whole layout")
		}
		if !strings.Contains(block, "To write comments, please log in to one of the accounts.") || !strings.Contains(block, "Social comment?") {
			t.Error("an anonymous reader is not told how to log in")
		}
	})
}

func TestComments_formPostWorksWithoutJavaScript(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		a := ts.publishedArticle(t, 0)
		c := ts.newCommenter(t, "Seo-jun", true)
		res, _ := c.form(t, a.URL()+"/comments", url.Values{"body": {"Posted by a plain form"}, "csrf": {c.csrf}, "sort": {"oldest"}})
		loc := res.Header.Get("Location")
		if res.StatusCode != 303 || !strings.HasPrefix(loc, a.URL()+"/comments?sort=oldest#c") {
			t.Fatalf("form post: %d Location %q, want 303 to the new comment", res.StatusCode, loc)
		}
		_, page := c.page(t, strings.Split(loc, "#")[0])
		if !strings.Contains(page, "Posted by a plain form") || !strings.Contains(page, `id="`+strings.Split(loc, "#")[1]+`"`) {
			t.Error("the comment is not on the page the form redirected to")
		}
		// A refused form keeps the text and says why, with the right status.
		long := strings.Repeat("가", 251)
		res, page = c.form(t, a.URL()+"/comments?lang=ko", url.Values{"body": {long}, "csrf": {c.csrf}})
		if res.StatusCode != 422 || !strings.Contains(page, "251자") || !strings.Contains(page, long+"</textarea>") {
			t.Errorf("too long a form: %d; page has the Korean message %v, keeps the text %v", res.StatusCode,
				strings.Contains(page, "251자"), strings.Contains(page, long+"</textarea>"))
		}
	})
}

func TestComments_repliesReactionsReportsEditsAndDeletes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, map[string]string{"comments_auto_hide_reports": "2"})
		a := ts.publishedArticle(t, 0)
		author, fan, critic := ts.newCommenter(t, "Author", true), ts.newCommenter(t, "Fan", true), ts.newCommenter(t, "Critic", true)
		_, body := author.post(t, a.ID, "The original point")
		top := decodeJSON[commentJSON](t, body)
		_, body = fan.api(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "A reply", "parent_id": top.ID})
		reply := decodeJSON[commentJSON](t, body)
		_, body = critic.api(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "Reply to the reply", "parent_id": reply.ID})
		if r := decodeJSON[commentJSON](t, body); r.ParentID != top.ID {
			t.Errorf("a reply to a reply has parent %d, want the thread's root %d (one level of replies)", r.ParentID, top.ID)
		}

		// One reaction per reader, changeable; none on one's own comment.
		fan.api(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/reaction", top.ID), map[string]any{"value": 1})
		fan.api(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/reaction", top.ID), map[string]any{"value": 1})
		res, body := critic.api(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/reaction", top.ID), map[string]any{"value": -1})
		counts := decodeJSON[struct{ Likes, Dislikes int }](t, body)
		if res.StatusCode != 200 || counts.Likes != 1 || counts.Dislikes != 1 {
			t.Errorf("reactions: %d %+v, want 1 like 1 dislike", res.StatusCode, counts)
		}
		_, body = critic.api(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/reaction", top.ID), map[string]any{"value": 1})
		if counts = decodeJSON[struct{ Likes, Dislikes int }](t, body); counts.Likes != 2 || counts.Dislikes != 0 {
			t.Errorf("changed reaction: %+v, want 2 likes 0 dislikes", counts)
		}
		if res, _ := author.api(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/reaction", top.ID), map[string]any{"value": 1}); res.StatusCode != 403 {
			t.Errorf("liking one's own comment: %d, want 403", res.StatusCode)
		}
		if res, _ := fan.api(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/reaction", top.ID), map[string]any{"value": 5}); res.StatusCode != 422 {
			t.Errorf("reaction 5: %d, want 422", res.StatusCode)
		}

		// Editing: own comment, marked as edited; others' refused.
		res, body = author.api(t, "PATCH", fmt.Sprintf("/api/v1/comments/%d", top.ID), map[string]any{"body": "The original point, clarified"})
		if res.StatusCode != 200 || !strings.Contains(body, `"edited_at"`) {
			t.Errorf("edit: %d %s", res.StatusCode, body)
		}
		if res, _ := fan.api(t, "PATCH", fmt.Sprintf("/api/v1/comments/%d", top.ID), map[string]any{"body": "hijack"}); res.StatusCode != 403 {
			t.Errorf("editing another's comment: %d, want 403", res.StatusCode)
		}

		// Reports: once per reader, with a reason; two hide the comment.
		if res, _ := fan.api(t, "POST", fmt.Sprintf("/api/v1/comments/%d/reports", reply.ID), map[string]any{"reason": ""}); res.StatusCode != 422 {
			t.Errorf("report without a reason: %d, want 422", res.StatusCode)
		}
		victim := ts.newCommenter(t, "Victim", true)
		_, body = victim.post(t, a.ID, "Reported twice")
		reported := decodeJSON[commentJSON](t, body)
		for _, c := range []*commenter{fan, critic} {
			if res, body := c.api(t, "POST", fmt.Sprintf("/api/v1/comments/%d/reports", reported.ID), map[string]any{"reason": "Rule 1"}); res.StatusCode != 204 {
				t.Fatalf("report: %d %s", res.StatusCode, body)
			}
		}
		if res, _ := fan.api(t, "POST", fmt.Sprintf("/api/v1/comments/%d/reports", reported.ID), map[string]any{"reason": "again"}); res.StatusCode != 404 && res.StatusCode != 409 {
			t.Errorf("second report: %d, want 409 (or 404 once hidden)", res.StatusCode)
		}
		_, block := ts.get(t, a.URL()+"/comments?partial=1")
		if strings.Contains(block, "Reported twice") {
			t.Error("a comment with enough reports is still shown")
		}
		var queue []struct {
			ID      int64    `json:"id"`
			Reports []string `json:"report_reasons"`
		}
		ts.api(t, "GET", "/api/v1/moderation/queue", account.Moderator, nil, &queue)
		if len(queue) != 1 || queue[0].ID != reported.ID || len(queue[0].Reports) != 2 {
			t.Errorf("queue: %+v, want the reported comment with 2 reasons", queue)
		}

		// Deleting a comment with replies leaves a placeholder.
		if res, _ := author.api(t, "DELETE", fmt.Sprintf("/api/v1/comments/%d", top.ID), nil); res.StatusCode != 204 {
			t.Fatalf("delete: %d", res.StatusCode)
		}
		_, block = ts.get(t, a.URL()+"/comments?partial=1")
		if strings.Contains(block, "The original point") || !strings.Contains(block, "This comment was deleted.") || !strings.Contains(block, "A reply") {
			t.Error("a deleted comment with replies should show as deleted, with its replies kept")
		}
	})
}

func TestComments_editWindowCloses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, map[string]string{"comments_edit_window_seconds": "0"})
		a := ts.publishedArticle(t, 0)
		c := ts.newCommenter(t, "Slow", true)
		_, body := c.post(t, a.ID, "first draft")
		time.Sleep(5 * time.Millisecond)
		id := decodeJSON[commentJSON](t, body).ID
		res, body := c.api(t, "PATCH", fmt.Sprintf("/api/v1/comments/%d", id), map[string]any{"body": "second draft"})
		if r := decodeJSON[refusalJSON](t, body); res.StatusCode != 403 || r.Reason != "edit_window_over" {
			t.Errorf("edit after the window: %d %+v", res.StatusCode, r)
		}
	})
}

func TestModeration_queueDecisionsBansAndLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, nil)
		a := ts.publishedArticle(t, 0)
		ts.api(t, "PUT", fmt.Sprintf("/api/v1/moderation/modes/article/%d", a.ID), account.Moderator, map[string]any{"mode": "pre"}, nil)
		c := ts.newCommenter(t, "Waiting", true)
		_, body := c.post(t, a.ID, "Please approve me")
		held := decodeJSON[commentJSON](t, body)
		if held.Status != "held" {
			t.Fatalf("pre-moderated comment: status %q", held.Status)
		}
		_, block := ts.get(t, a.URL()+"/comments?partial=1")
		if strings.Contains(block, "Please approve me") {
			t.Error("a held comment is shown to others")
		}
		_, mine := c.page(t, a.URL()+"/comments?partial=1")
		if !strings.Contains(mine, "Please approve me") || !strings.Contains(mine, "waiting for a moderator") {
			t.Error("the author does not see their held comment as waiting")
		}
		// Rejecting needs a rule of the policy.
		var e422 apiError
		if res := ts.api(t, "POST", fmt.Sprintf("/api/v1/moderation/comments/%d/decision", held.ID), account.Moderator,
			map[string]any{"action": "reject", "rule": 99, "reason": "x"}, &e422); res.StatusCode != 422 {
			t.Errorf("reject under rule 99: %d, want 422", res.StatusCode)
		}
		if res := ts.api(t, "POST", fmt.Sprintf("/api/v1/moderation/comments/%d/decision", held.ID), account.Moderator,
			map[string]any{"action": "approve", "reason": "fine"}, nil); res.StatusCode != 200 {
			t.Fatalf("approve: %d", res.StatusCode)
		}
		_, block = ts.get(t, a.URL()+"/comments?partial=1")
		if !strings.Contains(block, "Please approve me") {
			t.Error("an approved comment is not shown")
		}
		var deleted commentJSON
		ts.api(t, "POST", fmt.Sprintf("/api/v1/moderation/comments/%d/decision", held.ID), account.Moderator,
			map[string]any{"action": "delete", "rule": 6, "reason": "a phone number"}, &deleted)
		if deleted.Status != "deleted" || deleted.Rule == nil || deleted.Rule.Number != 6 {
			t.Errorf("delete: %+v", deleted)
		}
		// Permanent ban, then lifted.
		if res := ts.api(t, "POST", fmt.Sprintf("/api/v1/moderation/readers/%d/ban", c.id), account.Moderator,
			map[string]any{"rule": 2, "reason": "threats"}, nil); res.StatusCode != 200 {
			t.Fatalf("ban: %d", res.StatusCode)
		}
		if res, _ := c.post(t, ts.publishedArticle(t, 1).ID, "still here"); res.StatusCode != 403 {
			t.Errorf("banned reader posts: %d, want 403", res.StatusCode)
		}
		ts.api(t, "DELETE", fmt.Sprintf("/api/v1/moderation/readers/%d/ban", c.id), account.Moderator, nil, nil)
		if res, body := c.post(t, ts.publishedArticle(t, 1).ID, "back again"); res.StatusCode != 201 {
			t.Errorf("after the ban is lifted: %d %s", res.StatusCode, body)
		}
		var log []struct {
			Action string `json:"action"`
			Rule   int    `json:"rule"`
			Staff  string `json:"staff"`
		}
		ts.api(t, "GET", "/api/v1/moderation/log", account.Moderator, nil, &log)
		var actions []string
		for _, l := range log {
			actions = append(actions, l.Action)
		}
		if got := strings.Join(actions, ","); got != "unban,ban,delete,approve" {
			t.Errorf("log actions newest first: %s", got)
		}
		if log[1].Rule != 2 || log[2].Rule != 6 || log[0].Staff != "moderator" {
			t.Errorf("log entries lack their rule or staff: %+v", log)
		}
	})
}

func TestModeration_roles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		for _, tt := range []struct {
			role account.Role
			get  int
			set  int
		}{{account.Reporter, 403, 403}, {account.Moderator, 200, 403}, {account.Editor, 200, 200}, {account.Admin, 200, 200}} {
			if res := ts.api(t, "GET", "/api/v1/moderation/queue", tt.role, nil, nil); res.StatusCode != tt.get {
				t.Errorf("%s reads the queue: %d, want %d", tt.role, res.StatusCode, tt.get)
			}
			if res := ts.api(t, "PATCH", "/api/v1/moderation/settings", tt.role, map[string]string{"comments_per_day": "30"}, nil); res.StatusCode != tt.set {
				t.Errorf("%s changes the limits: %d, want %d", tt.role, res.StatusCode, tt.set)
			}
		}
		var bad apiError
		if res := ts.api(t, "PATCH", "/api/v1/moderation/settings", account.Admin, map[string]string{"comments_max_length": "0"}, &bad); res.StatusCode != 422 || bad.Fields["comments_max_length"] == "" {
			t.Errorf("max length 0: %d %+v", res.StatusCode, bad)
		}
	})
}

func TestReaderAccount_exportRenameAndDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, nil)
		a := ts.publishedArticle(t, 0)
		c, other := ts.newCommenter(t, "Leaving", true), ts.newCommenter(t, "Staying", true)
		_, body := c.post(t, a.ID, "My only thread")
		top := decodeJSON[commentJSON](t, body)
		c.post(t, a.ID, "A lonely comment")
		other.api(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "An answer", "parent_id": top.ID})
		other.api(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/reaction", top.ID), map[string]any{"value": 1})

		if res, body := c.api(t, "PATCH", "/api/v1/me", map[string]any{"name": "  New   name "}); res.StatusCode != 200 || !strings.Contains(body, `"name":"New name"`) {
			t.Errorf("rename: %d %s", res.StatusCode, body)
		}
		if res, _ := c.api(t, "PATCH", "/api/v1/me", map[string]any{"name": strings.Repeat("x", 51)}); res.StatusCode != 422 {
			t.Errorf("a 51-character name: %d, want 422", res.StatusCode)
		}
		res, body := c.api(t, "GET", "/api/v1/me/export", nil)
		exp := decodeJSON[struct {
			Account  struct{ Name string }
			Comments []commentJSON
		}](t, body)
		if res.StatusCode != 200 || exp.Account.Name != "New name" || len(exp.Comments) != 2 {
			t.Errorf("export: %d %+v", res.StatusCode, exp)
		}
		if res, _ := c.api(t, "DELETE", "/api/v1/me", nil); res.StatusCode != 204 {
			t.Fatalf("delete account: %d", res.StatusCode)
		}
		if res, _ := c.api(t, "GET", "/api/v1/me", nil); res.StatusCode != 401 {
			t.Errorf("after deleting: %d, want 401", res.StatusCode)
		}
		_, block := ts.get(t, a.URL()+"/comments?partial=1")
		if strings.Contains(block, "My only thread") || strings.Contains(block, "A lonely comment") || strings.Contains(block, "Leaving") {
			t.Error("the deleted reader's words or name are still shown")
		}
		if !strings.Contains(block, "This comment was deleted.") || !strings.Contains(block, "An answer") {
			t.Error("the reply to the deleted reader's comment lost its place")
		}
		if _, err := ts.db.Reader(context.Background(), c.id); err == nil {
			t.Error("the reader row still exists")
		}
	})
}

func TestModeration_clearAnswersForOddRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		var got apiError
		for path, want := range map[string]string{
			"/api/v1/moderation/readers/999999/ban":  "No such reader.",
			"/api/v1/moderation/banned-words/999999": "There is no such banned word.",
		} {
			if res := ts.api(t, "DELETE", path, account.Moderator, nil, &got); res.StatusCode != 404 || !strings.Contains(got.Error, strings.TrimPrefix(want, "No such ")) {
				t.Errorf("DELETE %s: %d %q, want 404 %q", path, res.StatusCode, got.Error, want)
			}
		}
		if res := ts.api(t, "PUT", "/api/v1/moderation/modes/section/999999", account.Moderator, map[string]string{"mode": "pre"}, &got); res.StatusCode != 404 || !strings.Contains(got.Error, "section") {
			t.Errorf("mode of a missing section: %d %q", res.StatusCode, got.Error)
		}
		// Settings as JSON numbers are as good as strings.
		var out map[string]string
		if res := ts.api(t, "PATCH", "/api/v1/moderation/settings", account.Editor, map[string]any{"comments_per_day": 30}, &out); res.StatusCode != 200 || out["comments_per_day"] != "30" {
			t.Errorf("a number: %d %v", res.StatusCode, out)
		}
		if res := ts.api(t, "PATCH", "/api/v1/moderation/settings", account.Editor, map[string]any{"comments_per_day": 2.5}, &got); res.StatusCode != 422 || got.Fields["comments_per_day"] == "" {
			t.Errorf("2.5: %d %+v", res.StatusCode, got)
		}
		if res := ts.api(t, "PATCH", "/api/v1/moderation/settings", account.Moderator, map[string]any{"comments_per_day": 30}, &got); res.StatusCode != 403 || !strings.Contains(got.Error, "comment settings") {
			t.Errorf("a moderator changing settings: %d %q", res.StatusCode, got.Error)
		}
		// Lifting a ban without a body, sent chunked.
		c := ts.newCommenter(t, "Chunked", true)
		ts.api(t, "POST", fmt.Sprintf("/api/v1/moderation/readers/%d/ban", c.id), account.Moderator, map[string]any{"rule": 1, "reason": "x"}, nil)
		req, _ := http.NewRequest("DELETE", fmt.Sprintf("%s/api/v1/moderation/readers/%d/ban", ts.URL, c.id), io.NopCloser(strings.NewReader("")))
		req.ContentLength = -1
		req.Header.Set("Authorization", "Bearer "+ts.tokens[account.Moderator])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("unban with an empty chunked body: %d, want 200", res.StatusCode)
		}
		// A reader route's 401 does not ask for a Bearer token.
		r401, _ := ts.do(t, "GET", "/api/v1/me", "", "")
		if r401.StatusCode != 401 || r401.Header.Get("WWW-Authenticate") != "" {
			t.Errorf("GET /me signed out: %d, WWW-Authenticate %q", r401.StatusCode, r401.Header.Get("WWW-Authenticate"))
		}
	})
}
