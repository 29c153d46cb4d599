package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// apiArticle creates an article through the API as an editor, published
// or a draft, and returns its id and address.
func apiArticle(t *testing.T, ts *testServer, headline string, published bool) (int64, string) {
	t.Helper()
	status := "draft"
	if published {
		status = "published"
	}
	var out struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	res := ts.api(t, "POST", "/api/v1/articles", account.Editor, map[string]any{
		"headline": headline, "body": "The council met on Tuesday.\n\nIt voted.", "section": "national/politics",
		"authors": []map[string]string{{"name": "Mina Park", "email": "mina.park@paper.example"}}, "status": status,
	}, &out)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create %q: %d", headline, res.StatusCode)
	}
	return out.ID, out.URL
}

// pairDoor sets an article's language and counterpart through one door
// and answers the status and the message about the field refused.
type pairDoor func(t *testing.T, ts *testServer, id int64, lang string, counterpart int64) (int, string)

func pairThroughAPI(t *testing.T, ts *testServer, id int64, lang string, counterpart int64) (int, string) {
	var refused apiError
	res, body := ts.do(t, "PATCH", "/api/v1/articles/"+strconv.FormatInt(id, 10), ts.tokens[account.Editor],
		fmt.Sprintf(`{"language": %q, "counterpart_id": %d}`, lang, counterpart))
	if res.StatusCode == http.StatusUnprocessableEntity {
		_ = json.Unmarshal([]byte(body), &refused)
		return res.StatusCode, refused.Fields["counterpart_id"] + refused.Fields["language"]
	}
	return res.StatusCode, ""
}

func pairThroughForm(t *testing.T, ts *testServer, id int64, lang string, counterpart int64) (int, string) {
	ed := ts.signIn(t, "editor@paper.example")
	f := ed.editorForm(t, id)
	f.Set("language", lang)
	f.Set("counterpart_id", "")
	if counterpart != 0 {
		f.Set("counterpart_id", strconv.FormatInt(counterpart, 10))
	}
	res, body := ed.post(t, "/newsroom/articles/"+strconv.FormatInt(id, 10), f)
	if res.StatusCode == http.StatusUnprocessableEntity {
		return res.StatusCode, body
	}
	return res.StatusCode, ""
}

// Linking, refusing and unlinking a pair answer alike through the API and
// the newsroom's form, which share the article service's rules.
func TestBilingualDoors_linkRefuseUnlink(t *testing.T) {
	e := storetest.Engines(t)[0]
	for name, door := range map[string]pairDoor{"api": pairThroughAPI, "form": pairThroughForm} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			ts := staffTestServer(t, e)
			en, _ := apiArticle(t, ts, "Council keeps the night buses", true)
			ko, _ := apiArticle(t, ts, "시의회, 심야버스 유지", false)
			other, _ := apiArticle(t, ts, "Another story", true)
			pairs := func() string {
				var s []string
				for _, id := range []int64{en, ko, other} {
					a, err := ts.db.Article(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					s = append(s, fmt.Sprintf("%d:%s→%d", id, article.LanguageOf(a), a.CounterpartID))
				}
				return strings.Join(s, " ")
			}
			want := func(step string, status int, wantStatus int, state string) {
				t.Helper()
				if status != wantStatus {
					t.Errorf("%s: status %d, want %d", step, status, wantStatus)
				}
				if got := pairs(); got != state {
					t.Errorf("%s: pairs %s, want %s", step, got, state)
				}
			}
			ok := http.StatusOK
			if name == "form" {
				ok = http.StatusSeeOther
			}
			none := fmt.Sprintf("%d:en→0 %d:en→0 %d:en→0", en, ko, other)
			st, _ := door(t, ts, ko, "ko", en)
			want("link from the Korean side", st, ok, fmt.Sprintf("%d:en→%d %d:ko→%d %d:en→0", en, ko, ko, en, other))
			st, msg := door(t, ts, other, "en", ko)
			want("take a paired article", st, http.StatusUnprocessableEntity, fmt.Sprintf("%d:en→%d %d:ko→%d %d:en→0", en, ko, ko, en, other))
			if !strings.Contains(msg, "already paired") {
				t.Errorf("take a paired article: message %q, want it to say the article is already paired", msg)
			}
			st, _ = door(t, ts, ko, "en", en)
			want("same language", st, http.StatusUnprocessableEntity, fmt.Sprintf("%d:en→%d %d:ko→%d %d:en→0", en, ko, ko, en, other))
			if name == "api" {
				// A PATCH that does not name the pair keeps it.
				res := ts.api(t, "PATCH", "/api/v1/articles/"+strconv.FormatInt(en, 10), account.Editor, map[string]any{"headline": "Council keeps night buses"}, nil)
				want("PATCH of the headline", res.StatusCode, ok, fmt.Sprintf("%d:en→%d %d:ko→%d %d:en→0", en, ko, ko, en, other))
			}
			st, _ = door(t, ts, en, "en", 0)
			want("unlink from the English side", st, ok, strings.Replace(none, fmt.Sprintf("%d:en", ko), fmt.Sprintf("%d:ko", ko), 1))
		})
	}
}

// A reader's page names its counterpart only once that is published:
// the hreflang alternate, the read-in link and the side-by-side view
// appear with its publication and go with its withdrawal, though the
// pages were cached in between.
func TestBilingualPages_nameOnlyAPublishedCounterpart(t *testing.T) {
	e := storetest.Engines(t)[0]
	ts := staffTestServer(t, e)
	en, enURL := apiArticle(t, ts, "Council keeps the night buses", true)
	ko, koURL := apiArticle(t, ts, "시의회, 심야버스 유지", false)
	if st, msg := pairThroughAPI(t, ts, ko, "ko", en); st != http.StatusOK {
		t.Fatalf("pair: %d %s", st, msg)
	}
	page := func(path string) (int, string) {
		t.Helper()
		res, body := ts.get(t, path)
		return res.StatusCode, body
	}
	check := func(when string, published bool) {
		t.Helper()
		_, body := page(enURL)
		if got := alternate(body, "ko") == koURL; got != published {
			t.Errorf("%s: English page has the ko alternate: %v, want %v", when, got, published)
		}
		if got := strings.Contains(body, "한국어로 읽기"); got != published {
			t.Errorf("%s: English page links to the Korean one: %v, want %v", when, got, published)
		}
		if !published && strings.Contains(body, "/article/"+strconv.FormatInt(ko, 10)+"/") {
			t.Errorf("%s: English page names the draft's address", when)
		}
		want := http.StatusNotFound
		if published {
			want = http.StatusOK
		}
		if st, _ := page(enURL + "/bilingual"); st != want {
			t.Errorf("%s: side-by-side view %d, want %d", when, st, want)
		}
	}
	check("counterpart a draft", false)
	if res := ts.api(t, "POST", "/api/v1/articles/"+strconv.FormatInt(ko, 10)+"/publish", account.Editor, nil, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	check("counterpart published", true)
	_, body := page(koURL)
	if !strings.Contains(body, "Read in English") || !strings.Contains(body, `<div class="article-body" lang="ko">`) {
		t.Errorf("Korean page: no link to the English one, or its body is not marked Korean")
	}
	if !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("Korean page: the page's language is not the interface's")
	}
	_, body = page(enURL + "/bilingual")
	if !strings.Contains(body, `<div class="bilingual-ko" lang="ko"><p>`) || !strings.Contains(body, "시의회") {
		t.Errorf("side-by-side view does not show the Korean article")
	}
	if res := ts.api(t, "POST", "/api/v1/articles/"+strconv.FormatInt(ko, 10)+"/unpublish", account.Editor, nil, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("unpublish: %d", res.StatusCode)
	}
	check("counterpart withdrawn", false)
}

// alternate is the path of the page's hreflang alternate for lang, "" for
// none.
func alternate(body, lang string) string {
	const link = `<link rel="alternate" hreflang="`
	_, rest, ok := strings.Cut(body, link+lang+`" href="`)
	if !ok {
		return ""
	}
	href, _, _ := strings.Cut(rest, `"`)
	if i := strings.Index(href, "/article/"); i >= 0 {
		href = href[i:]
	}
	if p, err := url.PathUnescape(href); err == nil {
		return p
	}
	return href
}

// A save that names the pair keeps the pair and the fields together,
// through either door: a version clash pairs nothing, and a refused pair
// saves no field.
func TestBilingualDoors_pairIsSavedWithTheFieldsOrNotAtAll(t *testing.T) {
	e := storetest.Engines(t)[0]
	ctx := context.Background()
	ts := staffTestServer(t, e)
	en, _ := apiArticle(t, ts, "Ferry timetable changes", true)
	ko, _ := apiArticle(t, ts, "여객선 시간표 변경", false)
	taken, _ := apiArticle(t, ts, "Bridge reopens", true)
	takenKo, _ := apiArticle(t, ts, "다리 재개통", false)
	if st, _ := pairThroughAPI(t, ts, takenKo, "ko", taken); st != http.StatusOK {
		t.Fatalf("pairing the other two: status %d", st)
	}
	stored := func(id int64) article.Article {
		a, err := ts.db.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	check := func(step string, status, wantStatus int) {
		t.Helper()
		if status != wantStatus {
			t.Errorf("%s: status %d, want %d", step, status, wantStatus)
		}
		a := stored(ko)
		if a.CounterpartID != 0 || a.Headline != "여객선 시간표 변경" {
			t.Errorf("%s: stored headline %q, counterpart %d; want the old headline and no pair", step, a.Headline, a.CounterpartID)
		}
		if stored(en).CounterpartID != 0 {
			t.Errorf("%s: the English article was paired", step)
		}
	}
	stale := stored(ko).Version
	// Someone else saves the Korean article, so stale is stale.
	if res := ts.api(t, "PATCH", "/api/v1/articles/"+strconv.FormatInt(ko, 10), account.Editor, map[string]any{"deck": "시간표가 바뀝니다"}, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("the other save: status %d", res.StatusCode)
	}

	res := ts.api(t, "PATCH", "/api/v1/articles/"+strconv.FormatInt(ko, 10), account.Editor,
		map[string]any{"headline": "changed", "language": "ko", "counterpart_id": en, "version": stale}, nil)
	check("API, stale version", res.StatusCode, http.StatusConflict)
	res = ts.api(t, "PATCH", "/api/v1/articles/"+strconv.FormatInt(ko, 10), account.Editor,
		map[string]any{"headline": "changed", "language": "ko", "counterpart_id": taken}, nil)
	check("API, refused pair", res.StatusCode, http.StatusUnprocessableEntity)

	ed := ts.signIn(t, "editor@paper.example")
	f := ed.editorForm(t, ko)
	f.Set("headline", "changed")
	f.Set("language", "ko")
	f.Set("counterpart_id", strconv.FormatInt(taken, 10))
	res, _ = ed.post(t, "/newsroom/articles/"+strconv.FormatInt(ko, 10), f)
	check("form, refused pair", res.StatusCode, http.StatusUnprocessableEntity)
	f = ed.editorForm(t, ko)
	f.Set("headline", "changed")
	f.Set("language", "ko")
	f.Set("counterpart_id", strconv.FormatInt(en, 10))
	f.Set("version", strconv.Itoa(stale))
	res, _ = ed.post(t, "/newsroom/articles/"+strconv.FormatInt(ko, 10), f)
	check("form, stale version", res.StatusCode, http.StatusConflict)

	// Both together, when nothing stands in the way.
	f = ed.editorForm(t, ko)
	f.Set("headline", "여객선 시간표 바뀐다")
	f.Set("language", "ko")
	f.Set("counterpart_id", strconv.FormatInt(en, 10))
	if res, _ = ed.post(t, "/newsroom/articles/"+strconv.FormatInt(ko, 10), f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("form save with the pair: status %d", res.StatusCode)
	}
	if a := stored(ko); a.Headline != "여객선 시간표 바뀐다" || a.CounterpartID != en || stored(en).CounterpartID != ko {
		t.Errorf("after the save: headline %q, counterpart %d; want both saved", a.Headline, a.CounterpartID)
	}
}

// The editor names the paired article by its headline, linked to its
// editor, beside the number an editor types.
func TestBilingualEditor_namesTheCounterpart(t *testing.T) {
	e := storetest.Engines(t)[0]
	ts := staffTestServer(t, e)
	en, _ := apiArticle(t, ts, "Harbour lights relit", true)
	ko, _ := apiArticle(t, ts, "항구 등불 다시 켜져", false)
	if st, _ := pairThroughAPI(t, ts, ko, "ko", en); st != http.StatusOK {
		t.Fatalf("pairing: status %d", st)
	}
	ed := ts.signIn(t, "editor@paper.example")
	_, body := ed.get(t, "/newsroom/articles/"+strconv.FormatInt(en, 10))
	want := fmt.Sprintf(`<a href="/newsroom/articles/%d" lang="ko">항구 등불 다시 켜져</a>`, ko)
	if !strings.Contains(body, want) {
		t.Errorf("the English article's editor does not name its Korean version: want %s", want)
	}
}
