package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/audit"
	"broadsheet/internal/comment"
	"broadsheet/internal/section"
	"broadsheet/internal/store/storetest"
)

// script is typed into every text field: it must come back inert.
const script = `<script>alert(1)</script>`

// wantInert fails if a page shows script as markup rather than text.
func wantInert(t *testing.T, what, body string) {
	t.Helper()
	if strings.Contains(body, script) {
		t.Errorf("%s shows the script as markup", what)
	}
}

// wantStatus fails unless res has the status; the body helps to see why.
func wantStatus(t *testing.T, what string, res *http.Response, body string, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: %d, want %d\n%s", what, res.StatusCode, status, body)
	}
}

func sectionByPath(t *testing.T, ts *testServer, path string) section.Section {
	t.Helper()
	s, err := ts.db.SectionByPath(context.Background(), path)
	if err != nil {
		t.Fatalf("section %s: %v", path, err)
	}
	return s
}

func auditCount(t *testing.T, ts *testServer, action string) int {
	t.Helper()
	es, err := ts.db.AuditEntries(context.Background(), audit.Query{Action: action, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// sectionForm is a section's form as a browser posts it.
func sectionForm(name, slug string, parent int64, description, position string) url.Values {
	return url.Values{"name": {name}, "slug": {slug}, "parent": {fmt.Sprint(parent)},
		"description": {description}, "position": {position}}
}

// Sections through the forms: add, rename (the cached front shows the new
// name at once), move with a new slug (addresses under it follow), and
// delete only when empty.
func TestNewsroomManage_sections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ed := ts.signIn(t, "editor@paper.example")

		res, body := ed.get(t, "/newsroom/sections")
		wantStatus(t, "list", res, body, 200)
		if !strings.Contains(body, "Social Affairs") || !strings.Contains(body, "/section/national/politics") {
			t.Error("the list lacks the demo sections")
		}

		res, body = ed.post(t, "/newsroom/sections", sectionForm("Science", "science", 0, "Research and discovery.", "20"))
		wantStatus(t, "add", res, body, 303)
		sci := sectionByPath(t, ts, "science")
		if sci.Name != "Science" || sci.Position != 20 || sci.Description != "Research and discovery." {
			t.Errorf("added %+v", sci)
		}
		res, body = ed.post(t, "/newsroom/sections", sectionForm("Physics", "physics", sci.ID, "", "0"))
		wantStatus(t, "add child", res, body, 303)
		phys := sectionByPath(t, ts, "science/physics")

		// The reader site shows a renamed section at once, though its
		// front was cached.
		nat := sectionByPath(t, ts, "national")
		if res, body := ts.get(t, "/section/national"); res.StatusCode != 200 || !strings.Contains(body, "National") {
			t.Fatalf("front: %d", res.StatusCode)
		}
		res, body = ed.post(t, fmt.Sprintf("/newsroom/sections/%d", nat.ID), sectionForm("Nation Desk", "national", 0, nat.Description, "0"))
		wantStatus(t, "rename", res, body, 303)
		if _, body := ts.get(t, "/section/national"); !strings.Contains(body, "Nation Desk") {
			t.Error("the section front does not show the new name")
		}

		// A new slug moves the section and everything under it.
		res, body = ed.post(t, fmt.Sprintf("/newsroom/sections/%d", sci.ID), sectionForm("Science", "sci", 0, "", "20"))
		wantStatus(t, "new slug", res, body, 303)
		if got := sectionByPath(t, ts, "sci/physics"); got.ID != phys.ID {
			t.Errorf("child moved to %+v", got)
		}
		if res, _ := ts.get(t, "/section/sci/physics"); res.StatusCode != 200 {
			t.Errorf("moved child's front: %d", res.StatusCode)
		}
		if res, _ := ts.get(t, "/section/science/physics"); res.StatusCode != 404 {
			t.Errorf("old address: %d, want 404", res.StatusCode)
		}
		// A new parent too: Science goes under Culture.
		cul := sectionByPath(t, ts, "culture")
		res, body = ed.post(t, fmt.Sprintf("/newsroom/sections/%d", sci.ID), sectionForm("Science", "sci", cul.ID, "", "20"))
		wantStatus(t, "new parent", res, body, 303)
		sectionByPath(t, ts, "culture/sci/physics")

		// Refused: a loop, a taken path, a bad slug, an empty name, a bad
		// position, an unknown parent; nothing changes.
		before, _ := ts.db.Sections(context.Background())
		for _, c := range []struct {
			what string
			path string
			form url.Values
			want string
		}{
			{"under its own child", fmt.Sprintf("/newsroom/sections/%d", sci.ID), sectionForm("Science", "sci", phys.ID, "", "0"), "cannot be put under itself"},
			{"under itself", fmt.Sprintf("/newsroom/sections/%d", sci.ID), sectionForm("Science", "sci", sci.ID, "", "0"), "cannot be put under itself"},
			{"taken path", "/newsroom/sections", sectionForm("Dup", "culture", 0, "", "0"), "already has this address"},
			{"taken path on edit", fmt.Sprintf("/newsroom/sections/%d", phys.ID), sectionForm("Physics", "sci", cul.ID, "", "0"), "already has this address"},
			{"bad slug", "/newsroom/sections", sectionForm("Bad", "Bad Slug!", 0, "", "0"), "lower-case letters"},
			{"script slug", "/newsroom/sections", sectionForm("Bad", script, 0, "", "0"), "lower-case letters"},
			{"empty name", "/newsroom/sections", sectionForm("  ", "empty", 0, "", "0"), "1 to 80 characters"},
			{"bad position", "/newsroom/sections", sectionForm("Pos", "pos", 0, "", "first"), "whole number"},
			{"unknown parent", "/newsroom/sections", sectionForm("Orphan", "orphan", 999999, "", "0"), "Choose a section"},
			{"parent not a number", "/newsroom/sections", url.Values{"name": {"X"}, "slug": {"x"}, "parent": {script}}, "Choose a section"},
		} {
			res, body := ed.post(t, c.path, c.form)
			if res.StatusCode != 422 || !strings.Contains(body, c.want) || !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("%s: %d, want 422 with %q\n%s", c.what, res.StatusCode, c.want, body)
			}
			wantInert(t, c.what, body)
		}
		after, _ := ts.db.Sections(context.Background())
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("a refused form changed the sections:\n%v\n%v", before, after)
		}

		// Script in every text field is kept as text and shown inert.
		res, body = ed.post(t, "/newsroom/sections", sectionForm(script, "scripted", 0, script, "0"))
		wantStatus(t, "script", res, body, 303)
		for _, path := range []string{"/newsroom/sections", fmt.Sprintf("/newsroom/sections/%d", sectionByPath(t, ts, "scripted").ID), "/section/scripted"} {
			res, body := ed.get(t, path)
			if path == "/section/scripted" {
				res, body = ts.get(t, path)
			}
			wantStatus(t, path, res, body, 200)
			wantInert(t, path, body)
			if !strings.Contains(body, "&lt;script&gt;") {
				t.Errorf("%s does not show the name as text", path)
			}
		}

		// Delete: a section with articles or children stays.
		for _, id := range []int64{nat.ID, sci.ID} {
			res, body := ed.post(t, fmt.Sprintf("/newsroom/sections/%d/delete", id), nil)
			if res.StatusCode != 409 || !strings.Contains(body, "still has articles or sections under it") {
				t.Errorf("delete in use: %d\n%s", res.StatusCode, body)
			}
		}
		res, body = ed.post(t, fmt.Sprintf("/newsroom/sections/%d/delete", phys.ID), nil)
		wantStatus(t, "delete", res, body, 303)
		if _, err := ts.db.SectionByID(context.Background(), phys.ID); err == nil {
			t.Error("the deleted section is still there")
		}
		if _, body := ts.get(t, "/"); strings.Contains(body, ">Physics<") {
			t.Error("the reader site still lists the deleted section")
		}
		res, _ = ed.post(t, fmt.Sprintf("/newsroom/sections/%d/delete", phys.ID), nil)
		if res.StatusCode != 404 {
			t.Errorf("delete again: %d, want 404", res.StatusCode)
		}
		if res, _ := ed.get(t, "/newsroom/sections/999999"); res.StatusCode != 404 {
			t.Errorf("unknown section: %d", res.StatusCode)
		}

		for action, want := range map[string]int{"section.create": 3, "section.update": 3, "section.delete": 1} {
			if n := auditCount(t, ts, action); n != want {
				t.Errorf("%d %s audit entries, want %d", n, action, want)
			}
		}
		es, _ := ts.db.AuditEntries(context.Background(), audit.Query{Action: "section.update", Limit: 1})
		if len(es) != 1 || !strings.Contains(es[0].Before, `"Path":"sci"`) || !strings.Contains(es[0].After, `"Path":"culture/sci"`) {
			t.Errorf("audit before/after: %+v", es)
		}
	})
}

func authorForm(name, title, email, bio, photo string) url.Values {
	return url.Values{"name": {name}, "title": {title}, "email": {email}, "bio": {bio}, "photo_url": {photo}}
}

// Authors through the forms: add, edit (the cached author page shows the
// change at once), refuse bad input, keep script inert.
func TestNewsroomManage_authors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		ed := ts.signIn(t, "admin@paper.example")
		all, err := ts.db.Authors(ctx)
		if err != nil || len(all) == 0 {
			t.Fatal(err)
		}
		demo := all[0]
		res, body := ed.get(t, "/newsroom/authors")
		wantStatus(t, "list", res, body, 200)
		if !strings.Contains(body, demo.Email) {
			t.Error("the list lacks the demo authors")
		}

		res, body = ed.post(t, "/newsroom/authors", authorForm("Han Seo-yeon", "Science Reporter", "Han@Paper.example", "Writes about labs.", "https://img.example/han.jpg"))
		wantStatus(t, "add", res, body, 303)
		all, _ = ts.db.Authors(ctx)
		var han int64
		for _, a := range all {
			if a.Email == "han@paper.example" {
				han = a.ID
				if a.Name != "Han Seo-yeon" || a.Title != "Science Reporter" || a.Bio != "Writes about labs." || a.PhotoURL != "https://img.example/han.jpg" || a.Slug == "" {
					t.Errorf("added %+v", a)
				}
			}
		}
		if han == 0 {
			t.Fatal("the author was not added")
		}

		page := "/author/" + demo.Slug
		if res, _ := ts.get(t, page); res.StatusCode != 200 {
			t.Fatalf("author page: %d", res.StatusCode)
		}
		res, body = ed.post(t, fmt.Sprintf("/newsroom/authors/%d", demo.ID), authorForm("Renamed Writer", "Chief Correspondent", demo.Email, "A new biography.", "https://img.example/renamed.jpg"))
		wantStatus(t, "edit", res, body, 303)
		if _, body := ts.get(t, page); !strings.Contains(body, "Renamed Writer") || !strings.Contains(body, "A new biography.") ||
			!strings.Contains(body, `src="https://img.example/renamed.jpg"`) {
			t.Error("the author page does not show the change")
		}

		before, _ := ts.db.Authors(ctx)
		for _, c := range []struct {
			what, path string
			form       url.Values
			want       string
		}{
			{"empty name", "/newsroom/authors", authorForm(" ", "", "new@paper.example", "", ""), "Give a name"},
			{"bad email", "/newsroom/authors", authorForm("X", "", "not an email", "", ""), "valid email"},
			{"script email", "/newsroom/authors", authorForm("X", "", script, "", ""), "valid email"},
			{"taken email", "/newsroom/authors", authorForm("X", "", "HAN@paper.example", "", ""), "already uses this email"},
			{"taken email on edit", fmt.Sprintf("/newsroom/authors/%d", demo.ID), authorForm("X", "", "han@paper.example", "", ""), "already uses this email"},
			{"script photo", "/newsroom/authors", authorForm("X", "", "x@paper.example", "", "javascript:alert(1)"), "https://"},
			{"plain http photo", "/newsroom/authors", authorForm("X", "", "x@paper.example", "", "http://img.example/a.jpg"), "https://"},
			{"photo with markup", "/newsroom/authors", authorForm("X", "", "x@paper.example", "", `https://x.example/"><script>`), "https://"},
			{"long title", "/newsroom/authors", authorForm("X", strings.Repeat("t", 121), "x@paper.example", "", ""), "at most 120"},
			{"long bio", fmt.Sprintf("/newsroom/authors/%d", han), authorForm("X", "", "han@paper.example", strings.Repeat("b", 2001), ""), "2,000"},
		} {
			res, body := ed.post(t, c.path, c.form)
			if res.StatusCode != 422 || !strings.Contains(body, c.want) || !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("%s: %d, want 422 with %q\n%s", c.what, res.StatusCode, c.want, body)
			}
			wantInert(t, c.what, body)
		}
		after, _ := ts.db.Authors(ctx)
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("a refused form changed the authors")
		}

		res, body = ed.post(t, fmt.Sprintf("/newsroom/authors/%d", han), authorForm(script, script, "han@paper.example", script, ""))
		wantStatus(t, "script", res, body, 303)
		a, _ := ts.db.AuthorByID(ctx, han)
		for _, path := range []string{"/newsroom/authors", fmt.Sprintf("/newsroom/authors/%d", han)} {
			res, body := ed.get(t, path)
			wantStatus(t, path, res, body, 200)
			wantInert(t, path, body)
		}
		if res, body := ts.get(t, "/author/"+a.Slug); res.StatusCode == 200 {
			wantInert(t, "author page", body)
		}
		if res, _ := ed.get(t, "/newsroom/authors/999999"); res.StatusCode != 404 {
			t.Errorf("unknown author: %d", res.StatusCode)
		}
		if n := auditCount(t, ts, "author.create"); n != 1 {
			t.Errorf("%d author.create entries", n)
		}
		if n := auditCount(t, ts, "author.update"); n != 2 {
			t.Errorf("%d author.update entries", n)
		}
	})
}

func pageForm(title, slug, body string) url.Values {
	return url.Values{"title": {title}, "slug": {slug}, "body": {body}}
}

// Static pages through the forms: add, edit (the reader's page changes at
// once), the policy keeps its slug and its new rules are used at once.
func TestNewsroomManage_pages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		ed := ts.signIn(t, "editor@paper.example")
		res, body := ed.get(t, "/newsroom/pages")
		wantStatus(t, "list", res, body, 200)
		if !strings.Contains(body, "Standards Board Policy") {
			t.Error("the list lacks the policy")
		}

		res, body = ed.post(t, "/newsroom/pages", pageForm("Contact us", "contact", "Write to **the desk**.\n\n<script>alert(1)</script>"))
		wantStatus(t, "add", res, body, 303)
		res, body = ts.get(t, "/page/contact")
		wantStatus(t, "reader page", res, body, 200)
		if !strings.Contains(body, "<strong>the desk</strong>") {
			t.Error("the Markdown is not rendered")
		}
		wantInert(t, "reader page", body)

		pages, _ := ts.db.Pages(ctx)
		ids := map[string]int64{}
		for _, p := range pages {
			ids[p.Slug] = p.ID
		}
		res, body = ed.post(t, fmt.Sprintf("/newsroom/pages/%d", ids["contact"]), pageForm("Write to us", "write-to-us", "New *text*."))
		wantStatus(t, "edit", res, body, 303)
		if res, body := ts.get(t, "/page/write-to-us"); res.StatusCode != 200 || !strings.Contains(body, "Write to us") || !strings.Contains(body, "<em>text</em>") {
			t.Errorf("renamed page: %d", res.StatusCode)
		}
		if res, _ := ts.get(t, "/page/contact"); res.StatusCode != 404 {
			t.Errorf("old slug: %d, want 404", res.StatusCode)
		}

		// The policy: its slug is fixed, and a changed rule is cited at once.
		pol := ids[comment.PolicySlug]
		if pol == 0 {
			t.Fatal("no policy page in the demo")
		}
		if _, body := ed.get(t, "/newsroom/moderation/words"); !strings.Contains(body, "1. Respect others.") {
			t.Fatal("the words page does not offer rule 1")
		}
		res, body = ed.post(t, fmt.Sprintf("/newsroom/pages/%d", pol), pageForm("Standards Board Policy", "policy", "1. **Rule one.**\n"))
		if res.StatusCode != 422 || !strings.Contains(body, "keeps the slug standards-board-policy") {
			t.Errorf("policy slug: %d\n%s", res.StatusCode, body)
		}
		res, body = ed.post(t, fmt.Sprintf("/newsroom/pages/%d", pol), pageForm("Standards Board Policy", comment.PolicySlug, "Be nice.\n"))
		if res.StatusCode != 422 || !strings.Contains(body, "numbered list") {
			t.Errorf("policy without rules: %d\n%s", res.StatusCode, body)
		}
		res, body = ed.post(t, fmt.Sprintf("/newsroom/pages/%d", pol), pageForm("Standards Board Policy", comment.PolicySlug, "## Rules\n\n1. **Be kind always.** Or else.\n2. **Stay on topic.**\n"))
		wantStatus(t, "policy", res, body, 303)
		if _, body := ed.get(t, "/newsroom/moderation/words"); !strings.Contains(body, "1. Be kind always.") {
			t.Error("the comment service still cites the old rules")
		}

		before, _ := ts.db.Pages(ctx)
		for _, c := range []struct {
			what, path string
			form       url.Values
			want       string
		}{
			{"empty title", "/newsroom/pages", pageForm(" ", "x", "text"), "Give a title"},
			{"title on two lines", "/newsroom/pages", pageForm("a\nb", "x", "text"), "Give a title"},
			{"bad slug", "/newsroom/pages", pageForm("X", "Not OK", "text"), "lower-case letters"},
			{"script slug", "/newsroom/pages", pageForm(script, script, script), "lower-case letters"},
			{"empty body", "/newsroom/pages", pageForm("X", "x", "  "), "Write the text"},
			{"taken slug", "/newsroom/pages", pageForm("X", "write-to-us", "text"), "already has this slug"},
			{"taken slug on edit", fmt.Sprintf("/newsroom/pages/%d", ids["contact"]), pageForm("X", comment.PolicySlug, "1. **A rule.**\n"), "already has this slug"},
		} {
			res, body := ed.post(t, c.path, c.form)
			if res.StatusCode != 422 || !strings.Contains(body, c.want) || !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("%s: %d, want 422 with %q\n%s", c.what, res.StatusCode, c.want, body)
			}
			wantInert(t, c.what, body)
		}
		after, _ := ts.db.Pages(ctx)
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("a refused form changed the pages")
		}

		// A long page fits (the form's limit is the page's), one too long
		// is refused with a message.
		long := strings.Repeat("A line of the long page.\n", 5000)
		res, body = ed.post(t, "/newsroom/pages", pageForm("Long", "long", long))
		wantStatus(t, "long page", res, body, 303)
		res, _ = ed.post(t, "/newsroom/pages", pageForm("Too long", "too-long", strings.Repeat("x", 300<<10)))
		if res.StatusCode != 413 && res.StatusCode != 422 {
			t.Errorf("too long: %d", res.StatusCode)
		}
		if _, err := ts.db.PageBySlug(ctx, "too-long"); err == nil {
			t.Error("the page that was too long was stored")
		}

		res, body = ed.post(t, "/newsroom/pages", pageForm(script, "scripted", script))
		wantStatus(t, "script", res, body, 303)
		for _, path := range []string{"/newsroom/pages"} {
			res, body := ed.get(t, path)
			wantStatus(t, path, res, body, 200)
			wantInert(t, path, body)
		}
		res, body = ts.get(t, "/page/scripted")
		wantStatus(t, "reader", res, body, 200)
		wantInert(t, "reader", body)
		if n := auditCount(t, ts, "page.create"); n != 3 {
			t.Errorf("%d page.create entries", n)
		}
		if n := auditCount(t, ts, "page.update"); n != 2 {
			t.Errorf("%d page.update entries", n)
		}
	})
}

func siteForm(name, locale, tz string) url.Values {
	return url.Values{"site_name": {name}, "locale": {locale}, "timezone": {tz}}
}

// The site settings (admins): a new name shows on the reader site at
// once; a bad zone or language is refused per field.
func TestNewsroomManage_siteSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ad := ts.signIn(t, "admin@paper.example")
		res, body := ad.get(t, "/newsroom/settings")
		wantStatus(t, "page", res, body, 200)
		if !strings.Contains(body, `value="Asia/Seoul"`) || !strings.Contains(body, "/newsroom/moderation/settings") {
			t.Error("the page lacks the zone or the link to the comment settings")
		}
		if !strings.Contains(body, "Characters per comment") || !strings.Contains(body, "post-moderation") {
			t.Error("the page does not show the comment settings in force")
		}
		if _, body := ts.get(t, "/"); !strings.Contains(body, "Broadsheet Daily") {
			t.Fatal("home lacks the name")
		}
		res, body = ad.post(t, "/newsroom/settings", siteForm("The Morning Ledger", "ko", "Europe/London"))
		wantStatus(t, "save", res, body, 303)
		if _, body := ts.get(t, "/"); !strings.Contains(body, "The Morning Ledger") {
			t.Error("the reader site does not show the new name")
		}
		m, _ := ts.db.Settings(context.Background())
		if m["locale"] != "ko" || m["timezone"] != "Europe/London" {
			t.Errorf("stored %v", m)
		}
		for _, c := range []struct {
			what string
			form url.Values
			want string
		}{
			{"bad zone", siteForm("X", "en", "Mars/Olympus"), "IANA"},
			{"local zone", siteForm("X", "en", "Local"), "IANA"},
			{"bad language", siteForm("X", "fr", "UTC"), "English or Korean"},
			{"empty name", siteForm(" ", "en", "UTC"), "1 to 100"},
			{"script everywhere", siteForm("a\n"+script, script, script), "1 to 100"},
		} {
			res, body := ad.post(t, "/newsroom/settings?lang=en", c.form)
			if res.StatusCode != 422 || !strings.Contains(body, c.want) || !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("%s: %d, want 422 with %q\n%s", c.what, res.StatusCode, c.want, body)
			}
			wantInert(t, c.what, body)
		}
		if after, _ := ts.db.Settings(context.Background()); fmt.Sprint(after) != fmt.Sprint(m) {
			t.Errorf("a refused form changed the settings")
		}
		res, body = ad.post(t, "/newsroom/settings", siteForm(script, "en", "UTC"))
		wantStatus(t, "script", res, body, 303)
		for _, b := range []func() (*http.Response, string){
			func() (*http.Response, string) { return ad.get(t, "/newsroom/settings") },
			func() (*http.Response, string) { return ts.get(t, "/") },
		} {
			res, body := b()
			wantStatus(t, "script name", res, body, 200)
			wantInert(t, "script name", body)
		}
		es, _ := ts.db.AuditEntries(context.Background(), audit.Query{Action: "settings.update", Limit: 10})
		if len(es) != 2 || !strings.Contains(es[1].Before, "Broadsheet Daily") || !strings.Contains(es[1].After, "The Morning Ledger") {
			t.Errorf("audit: %+v", es)
		}
	})
}

// A form posted with a wrong CSRF token is refused and stores nothing.
func TestNewsroomManage_csrf(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		ad := ts.signIn(t, "admin@paper.example")
		nat := sectionByPath(t, ts, "sports")
		authors, _ := ts.db.Authors(ctx)
		pages, _ := ts.db.Pages(ctx)
		snapshot := func() string {
			s, _ := ts.db.Sections(ctx)
			a, _ := ts.db.Authors(ctx)
			p, _ := ts.db.Pages(ctx)
			m, _ := ts.db.Settings(ctx)
			return fmt.Sprint(s, a, p, m)
		}
		before, audited := snapshot(), auditCount(t, ts, "") // signing in is audited too
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{"/newsroom/sections", sectionForm("New", "new", 0, "", "0")},
			{fmt.Sprintf("/newsroom/sections/%d", nat.ID), sectionForm("Renamed", "sports", 0, "", "0")},
			{fmt.Sprintf("/newsroom/sections/%d/delete", nat.ID), url.Values{}},
			{"/newsroom/authors", authorForm("New", "", "new@paper.example", "", "")},
			{fmt.Sprintf("/newsroom/authors/%d", authors[0].ID), authorForm("Renamed", "", authors[0].Email, "", "")},
			{"/newsroom/pages", pageForm("New", "new", "text")},
			{fmt.Sprintf("/newsroom/pages/%d", pages[0].ID), pageForm("Renamed", pages[0].Slug, "text")},
			{"/newsroom/settings", siteForm("Renamed", "en", "UTC")},
		} {
			for _, token := range []string{"wrong", ""} {
				c.form.Set("csrf", token)
				if res, _ := ad.post(t, c.path, c.form); res.StatusCode != 403 {
					t.Errorf("%s with CSRF %q: %d, want 403", c.path, token, res.StatusCode)
				}
			}
		}
		if after := snapshot(); after != before {
			t.Error("a refused form stored something")
		}
		if n := auditCount(t, ts, ""); n != audited {
			t.Errorf("refused forms added %d audit entries", n-audited)
		}
	})
}
