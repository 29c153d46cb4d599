package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

var listHeadline = regexp.MustCompile(`<td class="list-headline"><a href="[^"]*">([^<]*)</a>`)

// listHeadlines opens the newsroom's list with the parameters and returns
// the status and the headlines in order.
func listHeadlines(t *testing.T, b *staffBrowser, params string) (int, []string, string) {
	t.Helper()
	res, body := b.get(t, "/newsroom/articles?"+params)
	var out []string
	for _, m := range listHeadline.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return res.StatusCode, out, body
}

// apiHeadlines asks the JSON API's list the same question.
func apiHeadlines(t *testing.T, ts *testServer, role account.Role, params string) []string {
	t.Helper()
	var list struct {
		Articles []struct {
			Headline string `json:"headline"`
		} `json:"articles"`
	}
	if res := ts.api(t, "GET", "/api/v1/articles?limit=30&"+params, role, nil, &list); res.StatusCode != http.StatusOK {
		t.Fatalf("api %s: %d", params, res.StatusCode)
	}
	var out []string
	for _, a := range list.Articles {
		out = append(out, a.Headline)
	}
	return out
}

// The list finds drafts by their words for the people who may see them,
// each filter narrows it, the sort orders it, and the JSON API answers
// the same parameters with the same articles.
func TestNewsroomList_searchFiltersSortsAndBothDoors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		reporter := ts.signIn(t, "reporter@paper.example")
		editor := ts.signIn(t, "editor@paper.example")
		secs, err := ts.db.Sections(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		other := ""
		for _, s := range secs {
			if !strings.HasPrefix(s.Path, "national") && s.ParentID == 0 {
				other = s.Path
				break
			}
		}
		if other == "" {
			t.Fatal("the demo paper has no top section but national")
		}
		mine := articleForm("Zephyrine ferry timetable")
		reporter.createArticle(t, mine)
		theirs := articleForm("Blue zephyrine regatta")
		theirs.Set("section", other)
		theirs.Set("authors", "Jun Lee <jun.lee@paper.example>")
		editor.createArticle(t, theirs)

		bySection := []string{"Zephyrine ferry timetable", "Blue zephyrine regatta"}
		if other < "national/politics" {
			slices.Reverse(bySection)
		}
		for _, c := range []struct {
			name   string
			who    *staffBrowser
			role   account.Role
			params string
			want   []string
		}{
			{"editor sees every draft", editor, account.Editor, "q=zephyrine&sort=headline&order=asc", []string{"Blue zephyrine regatta", "Zephyrine ferry timetable"}},
			{"descending", editor, account.Editor, "q=zephyrine&sort=headline&order=desc", []string{"Zephyrine ferry timetable", "Blue zephyrine regatta"}},
			{"reporter sees their own", reporter, account.Reporter, "q=zephyrine", []string{"Zephyrine ferry timetable"}},
			{"status", editor, account.Editor, "q=zephyrine&status=published", nil},
			{"status draft", editor, account.Editor, "q=zephyrine&status=draft&sort=headline&order=asc", []string{"Blue zephyrine regatta", "Zephyrine ferry timetable"}},
			{"section with subsections", editor, account.Editor, "q=zephyrine&section=national", []string{"Zephyrine ferry timetable"}},
			{"author", editor, account.Editor, "q=zephyrine&author=jun-lee", []string{"Blue zephyrine regatta"}},
			{"changed since long ago", editor, account.Editor, "q=zephyrine&from=2000-01-01&sort=section&order=asc", bySection},
			{"changed before long ago", editor, account.Editor, "q=zephyrine&to=2000-01-01", nil},
			{"prefix", editor, account.Editor, "q=zephyr*&status=draft&sort=headline&order=asc", []string{"Blue zephyrine regatta", "Zephyrine ferry timetable"}},
		} {
			st, got, body := listHeadlines(t, c.who, c.params)
			if st != http.StatusOK || !slices.Equal(got, c.want) {
				t.Errorf("%s: newsroom %d %q, want %q\n%s", c.name, st, got, c.want, body[:min(len(body), 300)])
			}
			if api := apiHeadlines(t, ts, c.role, c.params); !slices.Equal(api, c.want) {
				t.Errorf("%s: API %q, want %q as the newsroom", c.name, api, c.want)
			}
		}
		// Readers never find a draft by its words.
		if _, body := ts.get(t, "/search?q=zephyrine"); strings.Contains(body, "Zephyrine") {
			t.Error("the reader's search shows a draft")
		}
		// The list counts and pages: the demo paper has more than a page.
		_, first, body := listHeadlines(t, editor, "")
		if len(first) != 30 || !strings.Contains(body, `rel="next"`) {
			t.Fatalf("first page: %d rows, next link %v", len(first), strings.Contains(body, `rel="next"`))
		}
		_, second, _ := listHeadlines(t, editor, "page=2")
		for _, h := range second {
			if slices.Contains(first, h) && h != "" {
				t.Errorf("page 2 repeats %q", h)
			}
		}
	})
}

// Every parameter is checked: a mistake is a 400 that says what to
// correct in the page's language, and never a 500.
func TestNewsroomList_badParametersAre400InThePagesLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		long := strings.Repeat("a", 201)
		words := strings.Repeat("word ", 13)
		for _, c := range []struct {
			params, en, ko string
		}{
			{"sort=author", "cannot be sorted that way", "정렬할 수 없습니다"},
			{"order=up", "ascending or descending", "오름차순이나 내림차순"},
			{"page=0", "no such page", "그런 페이지는 없습니다"},
			{"page=two", "no such page", "그런 페이지는 없습니다"},
			{"page=335", "no such page", "그런 페이지는 없습니다"},
			{"from=2026-02-30", "must be a date such as", "같은 날짜여야"},
			{"to=yesterday", "must be a date such as", "같은 날짜여야"},
			{"from=2026-03-02&to=2026-03-01", "before its start date", "시작일보다 앞섭니다"},
			{"status=lost", "not one of draft", "목록에서 고르세요"},
			{"section=nowhere", "No section has that path", "섹션이 없습니다"},
			{"author=nobody-at-all", "No author has that name", "기자가 없습니다"},
			{"q=" + long, "at most 200 characters", "200자를 넘을 수"},
			{"q=" + url.QueryEscape(words), "at most 12 words", "12단어를 넘을 수"},
			{"q=" + url.QueryEscape("!!! ???"), "no words to look for", "검색할 단어가 없습니다"},
		} {
			for lang, want := range map[string]string{"en": c.en, "ko": c.ko} {
				res, body := editor.get(t, "/newsroom/articles?"+c.params+"&lang="+lang)
				if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) {
					t.Errorf("%s (%s): %d, want 400 saying %q", c.params, lang, res.StatusCode, want)
				}
			}
		}
		// The longest search allowed is an answer, and so is the deepest
		// page, empty past the end.
		if res, _ := editor.get(t, "/newsroom/articles?q="+strings.Repeat("a", 200)); res.StatusCode != http.StatusOK {
			t.Errorf("a search of 200 characters: %d, want 200", res.StatusCode)
		}
		// A mistake in a filter opens the folded filters, so the field to
		// correct is in sight on a phone.
		if _, body := editor.get(t, "/newsroom/articles?from=2026-02-30"); !strings.Contains(body, `<details class="list-filters" open`) {
			t.Error("a refused filter leaves the filters folded")
		}
		if res, body := editor.get(t, "/newsroom/articles?page=334"); res.StatusCode != http.StatusOK || !strings.Contains(body, "past the end") {
			t.Errorf("page 334: %d", res.StatusCode)
		}
		// The JSON API refuses the same mistakes, as it refuses others.
		for _, p := range []string{"sort=author", "page=0", "page=502&sort=headline", "from=2026-02-30", "q=" + long, "order=up"} {
			if res, _ := ts.do(t, "GET", "/api/v1/articles?"+p, ts.tokens[account.Editor], ""); res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("API %s: %d, want 422", p, res.StatusCode)
			}
		}
	})
}
