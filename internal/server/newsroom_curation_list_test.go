package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// pinnedOnPage is the list of the curation page, in order: the pick
// fields of its form.
func pinnedOnPage(page string) []int64 {
	start := strings.Index(page, `id="curation-list"`)
	end := strings.Index(page, `id="curation-save"`)
	if start < 0 || end < start {
		return nil
	}
	var ids []int64
	for _, m := range regexp.MustCompile(`name="pick" value="(\d+)"`).FindAllStringSubmatch(page[start:end], -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		ids = append(ids, id)
	}
	return ids
}

// picks is a curation form: the list in order and what to do with it.
func picks(op string, ids ...int64) url.Values {
	v := url.Values{"op": {op}}
	for _, id := range ids {
		v.Add("pick", strconv.FormatInt(id, 10))
	}
	return v
}

func topStoryIDs(t *testing.T, ts *testServer) []int64 {
	t.Helper()
	top, err := ts.db.TopStories(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(top))
	for i, a := range top {
		ids[i] = a.ID
	}
	return ids
}

// Without a script, each button posts the list as it stands and gets the
// page back with the change made but not stored; Save stores it, and the
// home page shows it.
func TestNewsroomCuration_buttonsChangeTheListUntilSave(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		list, err := ts.db.ListArticles(context.Background(), article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 3})
		if err != nil || len(list) < 3 {
			t.Fatal(len(list), err)
		}
		a, b, c := list[0].ID, list[1].ID, list[2].ID
		if res, body := editor.post(t, "/newsroom/curation", picks("save", a, b)); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", res.StatusCode, body)
		}
		steps := []struct {
			op   string
			list []int64
			want []int64
		}{
			{fmt.Sprintf("down:%d", a), []int64{a, b}, []int64{b, a}},
			{fmt.Sprintf("add:%d", c), []int64{b, a}, []int64{b, a, c}},
			{fmt.Sprintf("remove:%d", a), []int64{b, a, c}, []int64{b, c}},
			{fmt.Sprintf("up:%d", c), []int64{b, c}, []int64{c, b}},
			{fmt.Sprintf("up:%d", c), []int64{c, b}, []int64{c, b}}, // the first stays first
		}
		for _, s := range steps {
			res, body := editor.post(t, "/newsroom/curation", picks(s.op, s.list...))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d\n%s", s.op, res.StatusCode, body)
			}
			if got := pinnedOnPage(body); fmt.Sprint(got) != fmt.Sprint(s.want) {
				t.Errorf("%s on %v: the page lists %v, want %v", s.op, s.list, got, s.want)
			}
			if !strings.Contains(body, `id="curation-unsaved" role="status">`) {
				t.Errorf("%s: the page does not say the change is not saved", s.op)
			}
			if got := topStoryIDs(t, ts); fmt.Sprint(got) != fmt.Sprint([]int64{a, b}) {
				t.Fatalf("%s stored the list: %v", s.op, got)
			}
		}
		// The search form carries the unsaved list along.
		_, body := editor.get(t, fmt.Sprintf("/newsroom/curation?draft=1&pick=%d&pick=%d&q=%s", c, b, url.QueryEscape(firstWord(list[0].Headline))))
		if got := pinnedOnPage(body); fmt.Sprint(got) != fmt.Sprint([]int64{c, b}) {
			t.Errorf("a search dropped the unsaved list: %v", got)
		}
		if !strings.Contains(body, fmt.Sprintf(`name="op" value="add:%d"`, a)) {
			t.Errorf("the search for %q does not offer article %d", firstWord(list[0].Headline), a)
		}

		res, body := editor.post(t, "/newsroom/curation", picks("save", c, b))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", res.StatusCode, body)
		}
		if got := topStoryIDs(t, ts); fmt.Sprint(got) != fmt.Sprint([]int64{c, b}) {
			t.Errorf("saved %v, want [%d %d]", got, c, b)
		}
		_, home := ts.get(t, "/")
		top := home[strings.Index(home, `class="top-stories"`):]
		if i, j := strings.Index(top, list[2].Headline), strings.Index(top, list[1].Headline); i < 0 || j < 0 || i > j {
			t.Errorf("the home page does not lead with the saved order (%d, %d)", i, j)
		}
		// An empty list is saved too: the front goes back to the newest.
		if res, _ := editor.post(t, "/newsroom/curation", picks("save")); res.StatusCode != http.StatusSeeOther {
			t.Errorf("save an empty list: %d", res.StatusCode)
		}
		if got := topStoryIDs(t, ts); len(got) != 0 {
			t.Errorf("an empty list left %v", got)
		}
	})
}

func firstWord(headline string) string {
	for _, w := range strings.Fields(headline) {
		if len(w) > 4 {
			return strings.Trim(w, ",.:;'’‘\"")
		}
	}
	return headline
}

// Every list and change the front service would refuse is refused with a
// sentence in the editor's language, and nothing is stored.
func TestNewsroomCuration_refusesBadListsWithASentence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		ctx := context.Background()
		list, err := ts.db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 30})
		if err != nil || len(list) < 3 {
			t.Fatal(len(list), err)
		}
		a, b := list[0].ID, list[1].ID
		if res, _ := editor.post(t, "/newsroom/curation", picks("save", a)); res.StatusCode != http.StatusSeeOther {
			t.Fatal(res.StatusCode)
		}
		draft := editor.createArticle(t, articleForm("Still being written"))
		sec, err := ts.db.SectionByID(ctx, list[0].SectionID)
		if err != nil {
			t.Fatal(err)
		}
		var elsewhere int64
		for _, x := range list {
			if x.SectionID != sec.ID && !slices.Contains(x.AlsoIn, sec.ID) {
				elsewhere = x.ID
			}
		}
		if elsewhere == 0 {
			t.Fatal("no article outside the section")
		}
		secPath := fmt.Sprintf("/newsroom/curation/sections/%d", sec.ID)
		var inSection []int64
		for _, x := range list {
			if x.SectionID == sec.ID {
				inSection = append(inSection, x.ID)
			}
		}
		twentyOne := make([]int64, 21)
		for i := range twentyOne {
			twentyOne[i] = int64(i + 1)
		}
		for name, c := range map[string]struct {
			path string
			form url.Values
			want int
			says string
		}{
			"add a draft":         {"/newsroom/curation", picks(fmt.Sprintf("add:%d", draft), a), 422, "is not published"},
			"add an unknown id":   {"/newsroom/curation", picks("add:99999999", a), 422, "Article 99999999 is not published"},
			"save an unknown id":  {"/newsroom/curation", picks("save", a, 99999999), 422, "Article 99999999 is not published"},
			"add twice":           {"/newsroom/curation", picks(fmt.Sprintf("add:%d", a), a), 422, "two places"},
			"too many pins":       {"/newsroom/curation", picks("save", twentyOne...), 422, "At most 20 stories"},
			"too many on a front": {secPath, picks("save", 1, 2, 3, 4, 5, 6), 422, "At most 5 stories"},
			"wrong section":       {secPath, picks(fmt.Sprintf("add:%d", elsewhere), inSection[:1]...), 422, "is not in this section"},
			"move one not listed": {"/newsroom/curation", picks(fmt.Sprintf("up:%d", b), a), 422, "is not on this front"},
			"an unknown change":   {"/newsroom/curation", picks("jump:3", a), 400, "does not know"},
			"a change of no id":   {"/newsroom/curation", picks("remove:x", a), 400, "does not know"},
			"an id not a number":  {"/newsroom/curation", url.Values{"op": {"save"}, "pick": {"first"}}, 422, "whole number"},
			"in Korean":           {"/newsroom/curation?lang=ko", picks(fmt.Sprintf("add:%d", draft), a), 422, "게시되지 않아"},
		} {
			res, body := editor.post(t, c.path, c.form)
			if res.StatusCode != c.want || !strings.Contains(body, c.says) {
				t.Errorf("%s: %d, want %d with %q", name, res.StatusCode, c.want, c.says)
			}
		}
		if got := topStoryIDs(t, ts); fmt.Sprint(got) != fmt.Sprint([]int64{a}) {
			t.Errorf("a refused change stored %v", got)
		}
		// A full front refuses one more, and says so.
		full := make([]int64, 0, 20)
		for _, x := range list {
			if len(full) < 20 {
				full = append(full, x.ID)
			}
		}
		if len(full) == 20 && len(list) > 20 {
			res, body := editor.post(t, "/newsroom/curation", picks(fmt.Sprintf("add:%d", list[20].ID), full...))
			if res.StatusCode != 422 || !strings.Contains(body, "At most 20 stories") {
				t.Errorf("add to a full front: %d", res.StatusCode)
			}
			if got := pinnedOnPage(body); len(got) != 20 {
				t.Errorf("the refused page lists %d stories, want the 20 posted", len(got))
			}
		}
		// A list in the address that the service refuses is not shown.
		res, body := editor.get(t, fmt.Sprintf("/newsroom/curation?draft=1&pick=%d", draft))
		if res.StatusCode != 422 || !strings.Contains(body, "is not published") {
			t.Errorf("a draft in the address: %d", res.StatusCode)
		}
		if got := pinnedOnPage(body); fmt.Sprint(got) != fmt.Sprint([]int64{a}) {
			t.Errorf("the page shows %v, want the saved list", got)
		}
	})
}

type curationResults struct {
	Articles []struct {
		ID       int64  `json:"id"`
		Headline string `json:"headline"`
		Section  string `json:"section"`
	} `json:"articles"`
	Message string `json:"message"`
}

// The page's search finds published stories through the search index,
// only in the section's subtree for a section front, and leaves out
// the ones listed; a search that cannot run is refused with a sentence.
func TestNewsroomCuration_searchFindsPublishedStories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		ctx := context.Background()
		list, err := ts.db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 30})
		if err != nil || len(list) < 3 {
			t.Fatal(len(list), err)
		}
		target := list[0]
		word := firstWord(target.Headline)
		form := articleForm("Unpublished " + word + " notes")
		editor.createArticle(t, form)
		ask := func(path string) (int, curationResults) {
			t.Helper()
			res, body := editor.get(t, path)
			var out curationResults
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatalf("%s: %d %v\n%s", path, res.StatusCode, err, body)
			}
			return res.StatusCode, out
		}
		status, found := ask("/newsroom/curation/search?q=" + url.QueryEscape(word))
		if status != 200 || !hasResult(found, target.ID) {
			t.Fatalf("search %q: %d, %+v", word, status, found)
		}
		for _, r := range found.Articles {
			if strings.HasPrefix(r.Headline, "Unpublished") {
				t.Errorf("the search offers a draft: %q", r.Headline)
			}
		}
		if _, found := ask(fmt.Sprintf("/newsroom/curation/search?q=%s&pick=%d", url.QueryEscape(word), target.ID)); hasResult(found, target.ID) {
			t.Error("the search offers a story already listed")
		}
		// A section front: only its own stories.
		sec, err := ts.db.SectionByID(ctx, target.SectionID)
		if err != nil {
			t.Fatal(err)
		}
		_, found = ask(fmt.Sprintf("/newsroom/curation/search?section=%d", sec.ID))
		if len(found.Articles) == 0 {
			t.Fatal("no recent stories for the section front")
		}
		for _, r := range found.Articles {
			x, err := ts.db.Article(ctx, r.ID)
			if err != nil || (x.SectionID != sec.ID && !slices.Contains(x.AlsoIn, sec.ID) && !inSubtree(t, ts, sec.ID, x.SectionID)) {
				t.Errorf("the section front is offered article %d of section %d", r.ID, x.SectionID)
			}
		}
		// Refusals.
		long := strings.Repeat("a", 201)
		manyPicks := func(n int) string {
			return strings.Repeat("&pick=1", n)
		}
		for name, c := range map[string]struct {
			path string
			want int
			says string
		}{
			"too long":               {"/newsroom/curation/search?q=" + long, 400, "at most 200 characters"},
			"too long in ko":         {"/newsroom/curation/search?lang=ko&q=" + long, 400, "최대 200자"},
			"too many words":         {"/newsroom/curation/search?q=" + url.QueryEscape(strings.Repeat("word ", 13)), 400, "at most 12 words"},
			"no section":             {"/newsroom/curation/search?section=99999999", 404, "no such section"},
			"section not id":         {"/newsroom/curation/search?section=abc", 404, "no such section"},
			"pick not number":        {"/newsroom/curation/search?pick=abc", 400, "whole number"},
			"too many picks":         {"/newsroom/curation/search?q=" + url.QueryEscape(word) + manyPicks(21), 400, "at most 20 stories"},
			"too many picks in ko":   {"/newsroom/curation/search?lang=ko&q=" + url.QueryEscape(word) + manyPicks(21), 400, "최대 20개"},
			"too many section picks": {fmt.Sprintf("/newsroom/curation/search?section=%d%s", sec.ID, manyPicks(6)), 400, "at most 5 stories"},
		} {
			status, out := ask(c.path)
			if status != c.want || !strings.Contains(out.Message, c.says) {
				t.Errorf("%s: %d %q, want %d with %q", name, status, out.Message, c.want, c.says)
			}
		}
		// Without a script: the page's search form.
		res, body := editor.get(t, "/newsroom/curation?q="+long)
		if res.StatusCode != 400 || !strings.Contains(body, "at most 200 characters") {
			t.Errorf("a search too long on the page: %d", res.StatusCode)
		}
		if res, _ := ts.get(t, "/newsroom/curation/search?q=x"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("signed out: %d", res.StatusCode)
		}
		reporter := ts.signIn(t, "reporter@paper.example")
		if res, _ := reporter.get(t, "/newsroom/curation/search?q=x"); res.StatusCode != http.StatusForbidden {
			t.Errorf("a reporter searched: %d", res.StatusCode)
		}
	})
}

func hasResult(r curationResults, id int64) bool {
	for _, a := range r.Articles {
		if a.ID == id {
			return true
		}
	}
	return false
}

func inSubtree(t *testing.T, ts *testServer, top, id int64) bool {
	t.Helper()
	for id != 0 {
		if id == top {
			return true
		}
		s, err := ts.db.SectionByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		id = s.ParentID
	}
	return false
}
