package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/glossary"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// breakAuditLog makes every insert into the audit log fail, as a full
// disk or a broken table would, behind the running site's back.
func breakAuditLog(t *testing.T, ts *testServer) {
	t.Helper()
	driver, stmts := "sqlite", []string{
		`CREATE TRIGGER audit_broken BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is broken'); END`}
	if store.IsPostgres(ts.dsn) {
		driver, stmts = "pgx", []string{
			`CREATE FUNCTION audit_broken() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'the audit log is broken'; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER audit_broken BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_broken()`}
	}
	raw, err := sql.Open(driver, ts.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("break the audit log: %v", err)
		}
	}
}

// everything is what the audited actions below could change, written out
// to compare before and after.
func everything(t *testing.T, ts *testServer, pub article.Article, readerID int64) string {
	t.Helper()
	ctx := context.Background()
	var parts []string
	add := func(what string, v any, err error) {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		parts = append(parts, fmt.Sprintf("%s: %+v", what, v))
	}
	secs, err := ts.db.Sections(ctx)
	add("sections", secs, err)
	authors, err := ts.db.Authors(ctx)
	add("authors", authors, err)
	pages, err := ts.db.Pages(ctx)
	add("pages", pages, err)
	settings, err := ts.db.Settings(ctx)
	keys := make([]string, 0, len(settings))
	for k, v := range settings {
		keys = append(keys, k+"="+v)
	}
	sort.Strings(keys)
	add("settings", keys, err)
	top, err := ts.db.TopStories(ctx, 100)
	var topIDs []int64
	for _, a := range top {
		topIDs = append(topIDs, a.ID)
	}
	add("top stories", topIDs, err)
	words, err := ts.db.BannedWords(ctx)
	add("banned words", words, err)
	staff, err := ts.db.ListStaff(ctx)
	add("staff", staff, err)
	images, err := ts.db.Images(ctx, 1000, 0)
	add("images", images, err)
	glossaryRows := 0
	err = ts.db.EachGlossaryEntry(ctx, func(glossary.Entry) error { glossaryRows++; return nil })
	add("glossary entries", glossaryRows, err)
	a, err := ts.db.Article(ctx, pub.ID)
	add("article", a, err)
	comments, err := ts.db.ListComments(ctx, commentQuery(pub.ID))
	add("comments", comments, err)
	rd, err := ts.db.Reader(ctx, readerID)
	add("reader", rd, err)
	return strings.Join(parts, "\n")
}

// When the audit entry cannot be written, the change it records is not
// kept either: every audited action, through either door, stores nothing
// and says it failed.
func TestAudit_failedEntryKeepsNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ed := ts.signIn(t, "editor@paper.example")
		adm := ts.signIn(t, "admin@paper.example")
		draft := ed.createArticle(t, articleForm("Harbour at dawn"))
		culture := sectionByPath(t, ts, "culture")
		about, err := ts.db.PageBySlug(context.Background(), "about")
		if err != nil {
			t.Fatal(err)
		}
		reporter := ts.staffID(t, "reporter@paper.example")
		list, err := ts.db.ListArticles(context.Background(), article.ListQuery{Scope: article.PublicScope(), Status: article.Published, Limit: 2})
		if err != nil || len(list) < 2 {
			t.Fatalf("articles: %d %v", len(list), err)
		}
		mediaFiles := func() int {
			n := 0
			_ = filepath.WalkDir(ts.mediaDir, func(_ string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					n++
				}
				return nil
			})
			return n
		}
		// Two empty sections, for each door to try to delete.
		var empty [2]int64
		for i := range empty {
			var s struct{ ID int64 }
			if res := ts.api(t, "POST", "/api/v1/sections", account.Editor, map[string]any{"slug": fmt.Sprint("empty-", i), "name": "Empty"}, &s); res.StatusCode != 201 {
				t.Fatalf("create an empty section: %d", res.StatusCode)
			}
			empty[i] = s.ID
		}
		// A reader's comment, for the moderators' forms.
		pub := list[0]
		ts.raiseLimits(t, nil)
		c := ts.newCommenter(t, "Reader", true)
		res, text := c.post(t, pub.ID, "A comment to moderate")
		if res.StatusCode != 201 {
			t.Fatalf("comment: %d %s", res.StatusCode, text)
		}
		posted := decodeJSON[commentJSON](t, text)
		files := mediaFiles()
		breakAuditLog(t, ts)
		before := everything(t, ts, pub, c.id)

		apiCalls := []struct {
			method, path string
			body         any
		}{
			{"POST", "/api/v1/sections", map[string]any{"slug": "books", "name": "Books"}},
			{"PATCH", fmt.Sprintf("/api/v1/sections/%d", culture.ID), map[string]any{"name": "Arts", "slug": "arts"}},
			{"DELETE", fmt.Sprintf("/api/v1/sections/%d", empty[0]), nil},
			{"POST", "/api/v1/authors", map[string]any{"name": "Min Seo", "email": "min@paper.example"}},
			{"PUT", "/api/v1/pages/colophon", map[string]any{"title": "Colophon", "body": "Text"}},
			{"PUT", "/api/v1/pages/about", map[string]any{"title": "About us", "body": "New text"}},
			{"PATCH", "/api/v1/settings", map[string]any{"site_name": "The Morning Post"}},
			{"PUT", "/api/v1/top-stories", map[string]any{"article_ids": []int64{list[0].ID, list[1].ID}}},
			{"POST", "/api/v1/glossary", map[string]any{"headword": "chaebol", "lang": "en", "translation": "재벌"}},
			// The moderators' changes, which the API makes as the newsroom's forms do.
			{"POST", "/api/v1/moderation/banned-words", map[string]any{"word": "auditword", "lang": "en", "action": "hold", "rule": 1}},
			{"PATCH", "/api/v1/moderation/settings", map[string]any{"comments_per_day": 77}},
			{"PUT", fmt.Sprintf("/api/v1/moderation/modes/article/%d", pub.ID), map[string]any{"mode": "closed"}},
			{"POST", fmt.Sprintf("/api/v1/moderation/comments/%d/decision", posted.ID), map[string]any{"action": "reject", "rule": 1, "reason": "off topic"}},
			{"POST", fmt.Sprintf("/api/v1/moderation/readers/%d/ban", c.id), map[string]any{"days": 3, "rule": 1, "reason": "spam"}},
		}
		for _, call := range apiCalls {
			role := account.Editor
			if call.path == "/api/v1/settings" {
				role = account.Admin
			}
			var body apiError
			res := ts.api(t, call.method, call.path, role, call.body, &body)
			// A broken database is the server's failure: 500, said so.
			if res.StatusCode != http.StatusInternalServerError || body.Error == "" {
				t.Errorf("API %s %s with a broken audit log: %d %+v, want 500 and why", call.method, call.path, res.StatusCode, body)
			}
		}
		forms := []struct {
			b    *staffBrowser
			path string
			form url.Values
		}{
			{ed, "/newsroom/sections", sectionForm("Books", "books", 0, "", "0")},
			{ed, fmt.Sprintf("/newsroom/sections/%d", culture.ID), sectionForm("Arts", "arts", 0, "", "1")},
			{ed, fmt.Sprintf("/newsroom/sections/%d/delete", empty[1]), nil},
			{ed, "/newsroom/authors", url.Values{"name": {"Min Seo"}, "email": {"min@paper.example"}}},
			{ed, "/newsroom/pages", url.Values{"slug": {"colophon"}, "title": {"Colophon"}, "body": {"Text"}}},
			{ed, fmt.Sprintf("/newsroom/pages/%d", about.ID), url.Values{"slug": {"about"}, "title": {"About us"}, "body": {"New text"}}},
			{adm, "/newsroom/settings", url.Values{"site_name": {"The Morning Post"}, "locale": {"en"}, "timezone": {"Asia/Seoul"}}},
			{ed, "/newsroom/curation", url.Values{fmt.Sprintf("pos_%d", list[0].ID): {"1"}}},
			{ed, "/newsroom/glossary", url.Values{"headword": {"chaebol"}, "lang": {"en"}, "translation": {"재벌"}}},
			{ed, "/newsroom/moderation/words", url.Values{"word": {"auditword"}, "lang": {"en"}, "action": {"hold"}, "rule": {"1"}}},
			{ed, "/newsroom/moderation/settings", url.Values{"comments_per_day": {"77"}}},
			{adm, "/newsroom/staff", url.Values{"name": {"New Member"}, "email": {"new@paper.example"}, "role": {"reporter"}}},
			{adm, fmt.Sprintf("/newsroom/staff/%d/role", reporter), url.Values{"role": {"editor"}}},
			{adm, fmt.Sprintf("/newsroom/staff/%d/disable", reporter), nil},
			{adm, fmt.Sprintf("/newsroom/staff/%d/reset-link", reporter), nil},
			{ed, "/newsroom/moderation/modes", url.Values{"scope": {"article"}, "id": {fmt.Sprint(pub.ID)}, "mode": {"closed"}}},
			{ed, fmt.Sprintf("/newsroom/moderation/comments/%d", posted.ID), url.Values{"action": {"reject"}, "rule": {"1"}, "reason": {"off topic"}}},
			{ed, fmt.Sprintf("/newsroom/moderation/readers/%d/ban", c.id), url.Values{"days": {"3"}, "rule": {"1"}, "reason": {"spam"}}},
		}
		for _, f := range forms {
			res, body := f.b.post(t, f.path, f.form)
			if res.StatusCode != http.StatusInternalServerError {
				t.Errorf("newsroom %s with a broken audit log: %d, want 500\n%.300s", f.path, res.StatusCode, body)
			}
		}
		res, body := ed.uploadImage(t, draft, 1, "photo.jpg", testJPEG(t, 400, 300), map[string]string{"alt": "A harbour"})
		if res.StatusCode != http.StatusInternalServerError {
			t.Errorf("image upload with a broken audit log: %d\n%.300s", res.StatusCode, body)
		}
		if after := everything(t, ts, pub, c.id); after != before {
			t.Errorf("changes were kept without their audit entries:\n%s\n→\n%s", before, after)
		}
		if n := mediaFiles(); n != files {
			t.Errorf("the upload left %d files behind", n-files)
		}
	})
}
