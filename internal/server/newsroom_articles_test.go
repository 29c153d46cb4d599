package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/audit"
	"broadsheet/internal/store/storetest"
)

// A reporter writes and submits a draft, an editor edits and schedules
// it, and the scheduler publishes it when the clock reaches its time;
// only then is it on the site, with the editor's headline.
func TestNewsroomArticles_draftReviewScheduleAndPublish(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		clock := &testClock{now: time.Now().UTC().Truncate(time.Minute)}
		ts := staffTestServer(t, e, withClock(clock))
		reporter := ts.signIn(t, "reporter@paper.example")
		editor := ts.signIn(t, "editor@paper.example")

		id := reporter.createArticle(t, articleForm("Night buses saved by one vote"))
		a, err := ts.db.Article(context.Background(), id)
		if err != nil || a.Status != article.Draft || a.Version != 1 {
			t.Fatalf("new article: %+v, %v", a, err)
		}
		if res, _ := ts.get(t, a.URL()); res.StatusCode != http.StatusNotFound {
			t.Fatalf("a draft is on the site: %d", res.StatusCode)
		}
		if _, list := reporter.get(t, "/newsroom/articles?status=draft"); !strings.Contains(list, "Night buses saved by one vote") {
			t.Error("the reporter's drafts do not list the new article")
		}
		// The reporter may not publish or schedule.
		for _, path := range []string{"/publish", "/schedule"} {
			if res, _ := reporter.post(t, fmt.Sprintf("/newsroom/articles/%d%s", id, path), url.Values{"publish_at": {"2030-01-01T07:00"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("reporter %s: %d, want 403", path, res.StatusCode)
			}
		}
		res, body := reporter.post(t, fmt.Sprintf("/newsroom/articles/%d/submit", id), url.Values{"version": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit: %d\n%s", res.StatusCode, body)
		}
		if a, _ = ts.db.Article(context.Background(), id); a.Status != article.Review {
			t.Fatalf("after submit: %s", a.Status)
		}

		// The editor sharpens the headline and schedules it for an hour on.
		f := editor.editorForm(t, id)
		f.Set("headline", "Night buses survive council vote")
		if res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d", id), f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("editor save: %d\n%s", res.StatusCode, body)
		}
		a, _ = ts.db.Article(context.Background(), id)
		at := clock.Now().Add(time.Hour).In(ts.siteZone(t))
		res, body = editor.post(t, fmt.Sprintf("/newsroom/articles/%d/schedule", id), url.Values{
			"publish_at": {at.Format("2006-01-02T15:04")}, "version": {fmt.Sprint(a.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("schedule: %d\n%s", res.StatusCode, body)
		}
		a = ts.waitForStatus(t, id, article.Scheduled)
		if !a.PublishedAt.Equal(at.Truncate(time.Minute)) {
			t.Errorf("scheduled for %v, want %v", a.PublishedAt, at)
		}
		time.Sleep(100 * time.Millisecond) // several scheduler passes: not yet due
		if a, _ = ts.db.Article(context.Background(), id); a.Status != article.Scheduled {
			t.Fatalf("published before its time: %s", a.Status)
		}
		if res, _ := ts.get(t, a.URL()); res.StatusCode != http.StatusNotFound {
			t.Fatalf("a scheduled article is on the site early: %d", res.StatusCode)
		}

		clock.Advance(61 * time.Minute)
		a = ts.waitForStatus(t, id, article.Published)
		res, page := ts.get(t, a.URL())
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "Night buses survive council vote") {
			t.Fatalf("the published article: %d", res.StatusCode)
		}
		if _, home := ts.get(t, "/"); !strings.Contains(home, "Night buses survive council vote") {
			t.Error("the home page does not show the newly published article")
		}
		// The audit log has every step, the scheduler's included.
		entries, err := ts.db.AuditEntries(context.Background(), audit.Query{TargetType: "article", TargetID: id, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, en := range entries {
			actions = append([]string{en.Action + ":" + en.StaffName}, actions...)
		}
		want := "article.create:reporter article.submit:reporter article.update:editor article.schedule:editor article.publish:scheduler"
		if got := strings.Join(actions, " "); got != want {
			t.Errorf("audit log:\n got %s\nwant %s", got, want)
		}
	})
}

// Every save is kept: the history lists them, a diff shows what changed
// as added and removed text, and restoring an old version saves it as the
// newest without losing the text it replaces.
func TestNewsroomArticles_revisionsDiffAndRestore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		id := editor.createArticle(t, articleForm("Harbour bridge to close for repairs"))
		f := editor.editorForm(t, id)
		f.Set("headline", "Harbour bridge to close for two weeks")
		f.Set("body", f.Get("body")+"\n\nDrivers should use the ring road.")
		if res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d", id), f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", res.StatusCode, body)
		}
		_, hist := editor.get(t, fmt.Sprintf("/newsroom/articles/%d/revisions", id))
		for _, want := range []string{"version 1", "version 2", "Harbour bridge to close for repairs"} {
			if !strings.Contains(hist, want) {
				t.Errorf("the history lacks %q", want)
			}
		}
		res, diff := editor.get(t, fmt.Sprintf("/newsroom/articles/%d/diff?from=1&to=2", id))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("diff: %d", res.StatusCode)
		}
		for _, want := range []string{"<del>repairs</del>", "<ins>two weeks</ins>", "<ins>\n\nDrivers should use the ring road.</ins>"} {
			if !strings.Contains(diff, want) {
				t.Errorf("the diff lacks %q", want)
			}
		}
		if res, _ := editor.get(t, fmt.Sprintf("/newsroom/articles/%d/diff?from=x&to=2", id)); res.StatusCode != http.StatusBadRequest {
			t.Errorf("diff with a bad version: %d", res.StatusCode)
		}
		if res, _ := editor.get(t, fmt.Sprintf("/newsroom/articles/%d/revisions/99", id)); res.StatusCode != http.StatusNotFound {
			t.Errorf("a missing revision: %d", res.StatusCode)
		}
		res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/revisions/1/restore", id), url.Values{"version": {"2"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("restore: %d\n%s", res.StatusCode, body)
		}
		a, _ := ts.db.Article(context.Background(), id)
		if a.Headline != "Harbour bridge to close for repairs" || a.Version != 3 || strings.Contains(a.Body, "ring road") {
			t.Errorf("after restore: v%d %q", a.Version, a.Headline)
		}
		revs, _ := ts.db.Revisions(context.Background(), id)
		if len(revs) != 3 || revs[1].Snapshot.Headline != "Harbour bridge to close for two weeks" {
			t.Errorf("the restored-over text is not kept: %d revisions", len(revs))
		}
	})
}

// Two editors open the same article; the first to save wins, and the
// second is refused with a clear message and the differences, never a
// silent overwrite.
func TestNewsroomArticles_concurrentEditIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		one := ts.signIn(t, "editor@paper.example")
		two := ts.signIn(t, "admin@paper.example")
		id := one.createArticle(t, articleForm("Library opens on Sundays"))
		f1, f2 := one.editorForm(t, id), two.editorForm(t, id)
		f1.Set("headline", "Library opens on Sundays from March")
		if res, _ := one.post(t, fmt.Sprintf("/newsroom/articles/%d", id), f1); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("first save: %d", res.StatusCode)
		}
		f2.Set("headline", "Central library opens on Sundays")
		res, body := two.post(t, fmt.Sprintf("/newsroom/articles/%d", id), f2)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("second save: %d, want 409", res.StatusCode)
		}
		for _, want := range []string{"someone else saved this article (version 2)", "Central library opens on Sundays", "<del>", "<ins>"} {
			if !strings.Contains(body, want) {
				t.Errorf("the refusal lacks %q", want)
			}
		}
		a, _ := ts.db.Article(context.Background(), id)
		if a.Headline != "Library opens on Sundays from March" || a.Version != 2 {
			t.Errorf("the first save was overwritten: v%d %q", a.Version, a.Headline)
		}
		// The script's autosave gets the same refusal as JSON.
		res, body = ts.postForm(t, fmt.Sprintf("/newsroom/articles/%d", id), withCSRF(f2, two.csrf), "Cookie", "bs_staff="+two.cookie, "X-Autosave", "1")
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, `"message"`) {
			t.Errorf("autosave clash: %d %s", res.StatusCode, body)
		}
	})
}

func withCSRF(v url.Values, token string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	out.Set("csrf", token)
	return out
}

// An editor moves a published article to a new address: the old one
// redirects with 301. A correction is shown on the article with its time.
func TestNewsroomArticles_newAddressRedirectsAndCorrectionsShow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		id := editor.createArticle(t, articleForm("Mayor opens the new tram line"))
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		old, _ := ts.db.Article(context.Background(), id)
		f := editor.editorForm(t, id)
		f.Set("slug", "tram-line-opens")
		f.Set("comment_mode", "closed")
		if res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d", id), f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("new address: %d\n%s", res.StatusCode, body)
		}
		if a, _ := ts.db.Article(context.Background(), id); a.CommentMode != "closed" {
			t.Errorf("comment mode %q, want closed", a.CommentMode)
		}
		res, _ := ts.get(t, old.URL())
		if want := fmt.Sprintf("/article/%d/tram-line-opens", id); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("the old address: %d to %q, want 301 to %s", res.StatusCode, res.Header.Get("Location"), want)
		}
		// A reporter may not move a published article, even their own.
		rep := ts.signIn(t, "reporter@paper.example")
		mine := rep.createArticle(t, articleForm("Reporter's story"))
		editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", mine), nil)
		f = rep.editorForm(t, mine)
		f.Set("slug", "moved")
		if res, _ := rep.post(t, fmt.Sprintf("/newsroom/articles/%d", mine), f); res.StatusCode != http.StatusForbidden {
			t.Errorf("a reporter moving a published article: %d", res.StatusCode)
		}

		res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/corrections", id), url.Values{"correction": {"An earlier version gave the wrong opening date."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("correction: %d\n%s", res.StatusCode, body)
		}
		_, page := ts.get(t, fmt.Sprintf("/article/%d/tram-line-opens", id))
		if !strings.Contains(page, `class="corrections"`) || !strings.Contains(page, "An earlier version gave the wrong opening date.") {
			t.Error("the article does not show its correction")
		}
	})
}

// An article filed under Politics that also names Industry is listed on
// the Industry front (and on Business above it), in date order with the
// articles filed there, and leaves them when the editor unticks it.
func TestNewsroomArticles_otherSectionsListTheArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		f := articleForm("Shipyard orders lift the port city's budget")
		f["also_in"] = []string{"business/industry", "national/politics", "nowhere"}
		if res, body := editor.post(t, "/newsroom/articles/new", f); res.StatusCode != 422 || !strings.Contains(body, `no section has the path \&#34;nowhere\&#34;`) && !strings.Contains(body, "nowhere") {
			t.Errorf("an unknown other section: %d", res.StatusCode)
		}
		f["also_in"] = []string{"business/industry", "national/politics"}
		id := editor.createArticle(t, f)
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		a, _ := ts.db.Article(context.Background(), id)
		if len(a.AlsoIn) != 1 {
			t.Fatalf("other sections %v, want only Industry (the primary is not repeated)", a.AlsoIn)
		}
		for _, front := range []string{"/section/business/industry", "/section/business", "/section/national/politics"} {
			if _, page := ts.get(t, front); strings.Count(page, "Shipyard orders lift the port city&#39;s budget") != 1 {
				t.Errorf("%s does not list the article once", front)
			}
		}
		if _, page := ts.get(t, "/section/national/social-affairs"); strings.Contains(page, "Shipyard orders") {
			t.Error("an unrelated front lists the article")
		}
		f = editor.editorForm(t, id)
		delete(f, "also_in")
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d", id), f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("untick: %d", res.StatusCode)
		}
		if _, page := ts.get(t, "/section/business/industry"); strings.Contains(page, "Shipyard orders") {
			t.Error("the Industry front still lists the article after it was unticked")
		}
	})
}

// Related articles are chosen when an article is published: those that
// share its tags first, then those with words in common; not the rest.
func TestNewsroomArticles_relatedChosenAtPublication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		publish := func(headline, tags, body string) int64 {
			f := articleForm(headline)
			f.Set("tags", tags)
			f.Set("body", body)
			id := editor.createArticle(t, f)
			if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("publish %q: %d", headline, res.StatusCode)
			}
			return id
		}
		sameTags := publish("Ferry fares rise in spring", "Ferries, Zzyzx Islands", "Fares go up.")
		sameWords := publish("Zzyzx lighthouse keeper retires", "Lighthouses", "The zzyzx lighthouse keeper retires after forty years.")
		publish("Rowing club wins the cup", "Rowing", "A fine race on the river.")
		main := publish("New Zzyzx ferry timetable for the islands", "Ferries, Zzyzx Islands", "The zzyzx ferry will run twice a day.")
		rel, err := ts.db.RelatedArticles(context.Background(), main, 5)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, a := range rel {
			got = append(got, a.ID)
		}
		if len(got) < 2 || got[0] != sameTags || !slices.Contains(got, sameWords) {
			t.Fatalf("related %v, want %d (shared tags) first and %d (shared words)", got, sameTags, sameWords)
		}
		a, _ := ts.db.Article(context.Background(), main)
		_, page := ts.get(t, a.URL())
		if !strings.Contains(page, "Ferry fares rise in spring") {
			t.Error("the article page does not show its related article")
		}
		// Unpublishing a related article takes it off the page at once.
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/unpublish", sameTags), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatal(res.StatusCode)
		}
		if _, page := ts.get(t, a.URL()); strings.Contains(page, "Ferry fares rise in spring") {
			t.Error("an unpublished related article is still shown")
		}
	})
}
