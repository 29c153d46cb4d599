package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// Each workflow step is a button of the editor's form: it saves what the
// form carries and takes the step from the version it just saved, in one
// request. A step that carries no text (an old client, the unpublish form)
// only takes the step.
func TestNewsroomEditor_stepSavesTheFormFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		reporter := ts.signIn(t, "reporter@paper.example")
		ctx := context.Background()

		// A reporter submits with an edit made since the last save.
		own := reporter.createArticle(t, articleForm("Bridge repairs start in May"))
		f := reporter.editorForm(t, own)
		f.Set("body", "The bridge closes for repairs from May.\n\nBuses will run across the river.")
		if res, body := reporter.post(t, fmt.Sprintf("/newsroom/articles/%d/submit", own), f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit with an edit: %d\n%.400s", res.StatusCode, body)
		}
		if a, _ := ts.db.Article(ctx, own); a.Status != article.Review || !strings.Contains(a.Body, "Buses will run") {
			t.Errorf("after submitting: %s %q", a.Status, a.Body)
		}

		// An editor schedules with a new deck.
		f = editor.editorForm(t, own)
		f.Set("deck", "Two months of work on the old bridge")
		f.Set("publish_at", ts.now().Add(2*time.Hour).In(ts.siteZone(t)).Format("2006-01-02T15:04"))
		if res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/schedule", own), f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("schedule with an edit: %d\n%.400s", res.StatusCode, body)
		}
		if a, _ := ts.db.Article(ctx, own); a.Status != article.Scheduled || a.Deck != "Two months of work on the old bridge" {
			t.Errorf("after scheduling: %s %q", a.Status, a.Deck)
		}

		// Publish now with a new headline: readers get the new one.
		id := editor.createArticle(t, articleForm("Night buses to stop at midnight"))
		f = editor.editorForm(t, id)
		f.Set("headline", "Night buses keep running after midnight")
		res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), f)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/newsroom/articles/%d?done=publish", id) {
			t.Fatalf("publish with an edit: %d %s\n%.400s", res.StatusCode, res.Header.Get("Location"), body)
		}
		a, _ := ts.db.Article(ctx, id)
		if a.Status != article.Published || a.Headline != "Night buses keep running after midnight" || a.Version != 3 {
			t.Fatalf("after publishing: %s %q v%d", a.Status, a.Headline, a.Version)
		}
		if _, page := ts.get(t, a.URL()); !strings.Contains(page, "Night buses keep running after midnight") {
			t.Error("the published page lacks the new headline")
		}

		// A new article is created by its first step.
		f = articleForm("Tram line opens to the airport")
		res, body = editor.post(t, "/newsroom/articles/new/publish", f)
		m := editorPath.FindStringSubmatch(res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("publish a new article: %d %s\n%.400s", res.StatusCode, res.Header.Get("Location"), body)
		}
		var created int64
		fmt.Sscan(m[1], &created)
		if a, _ := ts.db.Article(ctx, created); a.Status != article.Published || a.Headline != "Tram line opens to the airport" {
			t.Errorf("the new article: %s %q", a.Status, a.Headline)
		}
		if res, _ := editor.post(t, "/newsroom/articles/new/publish", url.Values{}); res.StatusCode != http.StatusNotFound {
			t.Errorf("a bare step on no article: %d, want 404", res.StatusCode)
		}
	})
}

// A version clash on any action — Save, Submit, Schedule, Publish — shows
// the editor with the typed text and the differences, and changes
// nothing; the form is then drawn from the saved version, so sending it
// again replaces theirs on purpose.
func TestNewsroomEditor_clashOnEveryAction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		admin := ts.signIn(t, "admin@paper.example")
		reporter := ts.signIn(t, "reporter@paper.example")
		ctx := context.Background()
		for _, c := range []struct {
			step string
			who  *staffBrowser
		}{{"", editor}, {"/submit", reporter}, {"/schedule", editor}, {"/publish", editor}} {
			id := c.who.createArticle(t, articleForm("Library opens on Sundays"+c.step))
			stale := c.who.editorForm(t, id)
			theirs := admin.editorForm(t, id)
			theirs.Set("headline", "Central library opens on Sundays")
			if res, _ := admin.post(t, fmt.Sprintf("/newsroom/articles/%d", id), theirs); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: the other save: %d", c.step, res.StatusCode)
			}
			stale.Set("body", "The library will open from ten to four on Sundays.")
			stale.Set("publish_at", ts.now().Add(time.Hour).In(ts.siteZone(t)).Format("2006-01-02T15:04"))
			res, body := c.who.post(t, fmt.Sprintf("/newsroom/articles/%d%s", id, c.step), stale)
			if res.StatusCode != http.StatusConflict {
				t.Fatalf("%s over someone else's save: %d, want 409\n%.400s", c.step, res.StatusCode, body)
			}
			for _, want := range []string{`id="editor-form"`, "from ten to four on Sundays", "<del>", "<ins>", `name="version" value="2"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the refusal lacks %q", c.step, want)
				}
			}
			a, _ := ts.db.Article(ctx, id)
			if a.Version != 2 || a.Status != article.Draft || a.Headline != "Central library opens on Sundays" {
				t.Errorf("%s: the refused action changed the article: v%d %s %q", c.step, a.Version, a.Status, a.Headline)
			}
		}

		// A bare step from an old version (the unpublish form drawn before
		// someone saved) is shown in the editor too, not on a bare page.
		id := editor.createArticle(t, articleForm("Harbour festival moves to June"))
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/unpublish", id), url.Values{"version": {"1"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, `id="editor-form"`) || !strings.Contains(body, "Someone else changed this article") {
			t.Errorf("a stale unpublish: %d\n%.400s", res.StatusCode, body)
		}
		if a, _ := ts.db.Article(ctx, id); a.Status != article.Published {
			t.Errorf("the stale unpublish took the article off the site: %s", a.Status)
		}
	})
}

// A step refused after the save shows the editor with the reason and says
// that the text is saved; it is.
func TestNewsroomEditor_stepRefusedAfterTheSaveKeepsTheText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		ctx := context.Background()
		id := editor.createArticle(t, articleForm("Ferry timetable changes for winter"))

		f := editor.editorForm(t, id)
		f.Set("body", "The ferry leaves at seven.\n\n![](/media/harbour.jpg)")
		res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), f)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "every image needs alt text") ||
			!strings.Contains(body, "Your text is saved as version 2") || !strings.Contains(body, "The ferry leaves at seven.") ||
			!strings.Contains(body, `name="version" value="2"`) {
			t.Errorf("publishing an image without alt text: %d\n%.600s", res.StatusCode, body)
		}
		if a, _ := ts.db.Article(ctx, id); a.Status != article.Draft || a.Version != 2 || !strings.Contains(a.Body, "The ferry leaves at seven.") {
			t.Errorf("after the refused publish: %s v%d %q", a.Status, a.Version, a.Body)
		}

		f = editor.editorForm(t, id)
		f.Set("headline", "Ferry timetable changes in December")
		f.Set("publish_at", "next Tuesday")
		res, body = editor.post(t, fmt.Sprintf("/newsroom/articles/%d/schedule", id), f)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Give a date and time") ||
			!strings.Contains(body, "Ferry timetable changes in December") || !strings.Contains(body, `value="next Tuesday"`) {
			t.Errorf("scheduling at no time: %d\n%.600s", res.StatusCode, body)
		}
		if a, _ := ts.db.Article(ctx, id); a.Headline != "Ferry timetable changes in December" || a.Status != article.Draft {
			t.Errorf("after the refused schedule: %s %q", a.Status, a.Headline)
		}

		// In Korean, the page says it in Korean.
		f = editor.editorForm(t, id)
		f.Set("publish_at", "")
		res, body = editor.post(t, fmt.Sprintf("/newsroom/articles/%d/schedule?lang=ko", id), f)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "글은 버전") {
			t.Errorf("a refused schedule in Korean: %d\n%.600s", res.StatusCode, body)
		}
	})
}

// The editor's form is multipart: saved with a file chosen, the file is
// uploaded (checked, stripped, resized) and made the lead image in the
// same request as the text, also for a new article and with a step.
func TestNewsroomEditor_multipartSaveWithImage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		ctx := context.Background()

		form := articleForm("Harbour at dawn")
		form.Set("csrf", editor.csrf)
		form.Set("image_alt", "Fishing boats at the harbour wall before sunrise")
		form.Set("image_caption", "Dawn at the harbour")
		res, body := editor.postMultipart(t, "/newsroom/articles/new", form, "IMG_0001.JPG", testJPEG(t, 1600, 1000))
		m := editorPath.FindStringSubmatch(res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("create with an image: %d\n%.400s", res.StatusCode, body)
		}
		var id int64
		fmt.Sscan(m[1], &id)
		a, _ := ts.db.Article(ctx, id)
		if !strings.HasPrefix(a.LeadImage.URL, "/media/u/") || a.LeadImage.Width != 1600 || a.LeadImage.Caption != "Dawn at the harbour" || a.Version != 1 {
			t.Fatalf("the new article's lead image: %+v v%d", a.LeadImage, a.Version)
		}

		// The Preview button of the same form (without JavaScript it
		// sends the whole multipart form) is read as well.
		pv := articleForm("Harbour at dawn")
		pv.Set("csrf", editor.csrf)
		if res, body := editor.postMultipart(t, "/newsroom/preview", pv, "", nil); res.StatusCode != http.StatusOK || !strings.Contains(body, "night buses") {
			t.Errorf("preview of the multipart form: %d\n%.300s", res.StatusCode, body)
		}

		// A file field left empty is no upload: the save keeps the image.
		f := articleValues(t, ts, a)
		f.Set("csrf", editor.csrf)
		f.Set("headline", "Harbour at dawn, before the boats go out")
		if res, body := editor.postMultipart(t, fmt.Sprintf("/newsroom/articles/%d", id), f, "", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save without a file: %d\n%.400s", res.StatusCode, body)
		}
		if b, _ := ts.db.Article(ctx, id); b.LeadImage.URL != a.LeadImage.URL || b.Headline != "Harbour at dawn, before the boats go out" {
			t.Errorf("after a save without a file: %q %q", b.LeadImage.URL, b.Headline)
		}

		// Publish now with a new image and a new headline, in one request.
		b, _ := ts.db.Article(ctx, id)
		f = articleValues(t, ts, b)
		f.Set("csrf", editor.csrf)
		f.Set("headline", "Harbour wakes before sunrise")
		f.Set("image_alt", "Nets drying on the pier")
		if res, body := editor.postMultipart(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), f, "nets.jpg", testJPEG(t, 900, 600)); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish with a new image: %d\n%.400s", res.StatusCode, body)
		}
		c, _ := ts.db.Article(ctx, id)
		if c.Status != article.Published || c.Headline != "Harbour wakes before sunrise" || c.LeadImage.URL == a.LeadImage.URL || c.LeadImage.Width != 900 || c.LeadImage.Alt != "Nets drying on the pier" {
			t.Errorf("after publishing with a new image: %s %q %+v", c.Status, c.Headline, c.LeadImage)
		}
	})
}

// Every refusal of the multipart form is a clear 4xx; those that can show
// the editor show it with what was typed, and a refused image stores
// nothing.
func TestNewsroomEditor_multipartRefusalsKeepTheText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		ctx := context.Background()
		typed := "Harbour wall repairs begin on Monday"
		base := func() url.Values {
			f := articleForm(typed)
			f.Set("csrf", editor.csrf)
			f.Set("image_alt", "Workers on the harbour wall")
			return f
		}
		noAlt := base()
		noAlt.Del("image_alt")
		forged := base()
		forged.Set("csrf", "forged")
		huge := base()
		huge.Set("body", strings.Repeat("A long body. ", (2<<20)/13+1))
		for _, c := range []struct {
			name    string
			form    url.Values
			file    string
			data    []byte
			status  int
			message string
			keeps   bool
		}{
			{"no alt text", noAlt, "photo.jpg", testJPEG(t, 800, 600), 422, "alt text is required", true},
			{"a GIF", base(), "anim.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 415, "Only JPEG, PNG and WebP", true},
			{"an image over 10 MB", base(), "big.jpg", bytes.Repeat([]byte{0xFF}, 11<<20), 413, "larger than 10 MB", true},
			{"text over 2 MB", huge, "photo.jpg", testJPEG(t, 800, 600), 413, "the text may be up to 2 MB", false},
			{"a body past the whole limit", base(), "huge.jpg", bytes.Repeat([]byte{0xFF}, 14<<20), 413, "the image up to 10 MB", false},
			{"wrong CSRF", forged, "photo.jpg", testJPEG(t, 800, 600), 403, "", false},
		} {
			res, body := editor.postMultipart(t, "/newsroom/articles/new", c.form, c.file, c.data)
			if res.StatusCode != c.status || !strings.Contains(body, c.message) {
				t.Errorf("%s: %d, want %d with %q\n%.300s", c.name, res.StatusCode, c.status, c.message, body)
			}
			if c.keeps && !strings.Contains(body, `value="`+typed+`"`) {
				t.Errorf("%s: the refusal lost the typed headline", c.name)
			}
		}
		if list, err := ts.db.Images(ctx, 1000, 0); err != nil || len(list) != 0 {
			t.Errorf("refused uploads stored %d images (%v)", len(list), err)
		}

		// An image accepted before the article is refused stays in the
		// form, so the next save uses it instead of losing it.
		bad := base()
		bad.Set("section", "no/such/section")
		res, body := editor.postMultipart(t, "/newsroom/articles/new", bad, "photo.jpg", testJPEG(t, 800, 600))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `name="image_url" maxlength="2000" value="/media/u/`) {
			t.Errorf("a refused article with an accepted image: %d\n%.300s", res.StatusCode, body)
		}
	})
}

// The script's autosave of a new article creates the draft and answers
// with its id, version and address, which the script adopts.
func TestNewsroomEditor_autosaveCreatesTheDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		reporter := ts.signIn(t, "reporter@paper.example")
		res, body := ts.postForm(t, "/newsroom/articles/new", withCSRF(articleForm("Night market returns"), reporter.csrf),
			"Cookie", "bs_staff="+reporter.cookie, "X-Autosave", "1")
		var ans struct {
			Message string `json:"message"`
			Version int    `json:"version"`
			ID      int64  `json:"id"`
			URL     string `json:"url"`
		}
		if err := json.Unmarshal([]byte(body), &ans); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("autosave of a new article: %d %s (%v)", res.StatusCode, body, err)
		}
		if ans.ID == 0 || ans.Version != 1 || ans.URL != fmt.Sprintf("/newsroom/articles/%d", ans.ID) || ans.Message == "" {
			t.Fatalf("the answer: %+v", ans)
		}
		if a, err := ts.db.Article(context.Background(), ans.ID); err != nil || a.Headline != "Night market returns" {
			t.Errorf("the draft: %q (%v)", a.Headline, err)
		}
		// Refused (no headline yet): JSON with the reason, nothing stored.
		empty := articleForm("")
		res, body = ts.postForm(t, "/newsroom/articles/new", withCSRF(empty, reporter.csrf), "Cookie", "bs_staff="+reporter.cookie, "X-Autosave", "1")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"message"`) || strings.Contains(body, `"id"`) {
			t.Errorf("autosave without a headline: %d %s", res.StatusCode, body)
		}
	})
}
