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
	"broadsheet/internal/store/storetest"
)

// koSectionStep is sectionStep whose newsroom form, like the page's,
// carries the Korean name the section has when the step leaves it alone.
func koSectionStep(name string, role account.Role, ok bool, op, target string, f sectionFields) doorStep {
	s := sectionStep(name, role, ok, op, target, f)
	form := s.form
	s.form = func(t *testing.T, ts *testServer) (string, url.Values) {
		path, v := form(t, ts)
		if _, given := f["name_ko"]; op == "update" && !given {
			if sec, err := ts.db.SectionByID(context.Background(), sectionID(t, ts, target)); err == nil {
				v.Set("name_ko", sec.NameKo)
			}
		}
		return path, v
	}
	return s
}

func sectionsKoState(t *testing.T, ts *testServer) string {
	t.Helper()
	all, err := ts.db.Sections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, s := range all {
		rows = append(rows, fmt.Sprintf("%s|%s|%s", s.Path, s.Name, s.NameKo))
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// A section's Korean name through both doors: kept, changed, cleared,
// and refused alike (4xx, nothing stored, no audit entry) when too long
// or on two lines.
func TestManageDoors_sectionKoreanName(t *testing.T) {
	ed := account.Editor
	tooLong := strings.Repeat("가", 81)
	steps := []doorStep{
		koSectionStep("create with a Korean name", ed, true, "create", "", sectionFields{"slug": "books", "name": "Books", "name_ko": " 도서 ", "parent": "culture"}),
		koSectionStep("create with a Korean name too long", ed, false, "create", "", sectionFields{"slug": "wordy", "name": "Wordy", "name_ko": tooLong}),
		koSectionStep("create with a Korean name on two lines", ed, false, "create", "", sectionFields{"slug": "lines", "name": "Lines", "name_ko": "둘\n줄"}),
		koSectionStep("80 Hangul are enough", ed, true, "create", "", sectionFields{"slug": "long", "name": "Long", "name_ko": tooLong[len("가"):]}),
		koSectionStep("rename in Korean", ed, true, "update", "culture/books", sectionFields{"name_ko": "서평"}),
		koSectionStep("rename in Korean too long", ed, false, "update", "culture/books", sectionFields{"name_ko": tooLong}),
		koSectionStep("rename in English keeps the Korean name", ed, true, "update", "culture/books", sectionFields{"name": "Book reviews"}),
		koSectionStep("clear the Korean name", ed, true, "update", "culture/books", sectionFields{"name_ko": ""}),
		koSectionStep("Korean name by a reporter", account.Reporter, false, "update", "culture/books", sectionFields{"name_ko": "내 것"}),
	}
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		runBothDoors(t, e, sectionsKoState, steps)
	})
}

// Each door says what is wrong with a Korean name too long: the API names
// the field, the newsroom's form shows its message beside the field.
func TestManageDoors_sectionKoreanNameMessage(t *testing.T) {
	e := storetest.Engines(t)[0]
	ts := staffTestServer(t, e)
	tooLong := strings.Repeat("가", 81)
	var refused apiError
	res := ts.api(t, "POST", "/api/v1/sections", account.Editor,
		map[string]any{"slug": "wordy", "name": "Wordy", "name_ko": tooLong}, &refused)
	if res.StatusCode != http.StatusUnprocessableEntity || refused.Fields["name_ko"] == "" {
		t.Errorf("API: %d %+v, want 422 naming name_ko", res.StatusCode, refused)
	}
	ed := ts.signIn(t, "editor@paper.example")
	v := sectionForm("Wordy", "wordy", 0, "", "0")
	v.Set("name_ko", tooLong)
	res, body := ed.post(t, "/newsroom/sections", v)
	if want := "Keep the Korean name to at most 80 characters"; res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
		t.Errorf("newsroom: %d, want 422 with %q", res.StatusCode, want)
	}
	if !strings.Contains(body, `id="add-name-ko"`) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("newsroom: the refused form does not mark the Korean name field")
	}
}

// koPageStep is pageStep with a Korean title; nil sends none, which keeps
// the page's (the API's absent field, a form without the field).
func koPageStep(name string, role account.Role, ok bool, slug, title string, titleKo *string, body string) doorStep {
	s := pageStep(name, role, ok, slug, title, body)
	api, form := s.api, s.form
	s.api = func(t *testing.T, ts *testServer) (string, string, any) {
		method, path, req := api(t, ts)
		if titleKo != nil {
			req.(map[string]any)["title_ko"] = *titleKo
		}
		return method, path, req
	}
	s.form = func(t *testing.T, ts *testServer) (string, url.Values) {
		path, v := form(t, ts)
		if titleKo != nil {
			v.Set("title_ko", *titleKo)
		}
		return path, v
	}
	return s
}

func pagesKoState(t *testing.T, ts *testServer) string {
	t.Helper()
	all, err := ts.db.Pages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, p := range all {
		rows = append(rows, p.Slug+"|"+p.Title+"|"+p.TitleKo)
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// A static page's Korean title through both doors.
func TestManageDoors_pageKoreanTitle(t *testing.T) {
	ed := account.Editor
	ko := func(s string) *string { return &s }
	tooLong := strings.Repeat("가", 201)
	steps := []doorStep{
		withAction(koPageStep("create with a Korean title", ed, true, "colophon", "Colophon", ko("판권"), "Set in *Noto Serif*."), "page.create"),
		koPageStep("Korean title too long", ed, false, "colophon", "Colophon", ko(tooLong), "Set in *Noto Serif*."),
		koPageStep("Korean title on two lines", ed, false, "colophon", "Colophon", ko("판\n권"), "Set in *Noto Serif*."),
		withAction(koPageStep("change without it keeps it", ed, true, "colophon", "Colophon and credits", nil, "Printed on paper."), "page.update"),
		withAction(koPageStep("change it", ed, true, "colophon", "Colophon and credits", ko("판권과 도움"), "Printed on paper."), "page.update"),
		withAction(koPageStep("clear it", ed, true, "colophon", "Colophon and credits", ko(""), "Printed on paper."), "page.update"),
	}
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		runBothDoors(t, e, pagesKoState, steps)
	})
}
