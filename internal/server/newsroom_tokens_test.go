package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/store/storetest"
)

// The editor's suggestion endpoints are for those who write: a
// moderator, who may not, is refused like on the editor's pages.
func TestNewsroomTokens_roleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		m := newRoleMatrix(t, e)
		get := func(path string) func(*testing.T) matrixCall {
			return func(*testing.T) matrixCall { return matrixCall{method: "GET", path: path} }
		}
		m.run(t, []roleCase{
			{"authors", get("/newsroom/authors.json?q=a"), statuses(200, 403, 200, 200)},
			{"tags", get("/newsroom/tags.json?q=a"), statuses(200, 403, 200, 200)},
			{"messages", get("/newsroom/tokens.json"), statuses(200, 403, 200, 200)},
		})
	})
}

func getJSON(t *testing.T, b *staffBrowser, path string, out any) *http.Response {
	t.Helper()
	res, body := b.get(t, path)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: Content-Type %q, want JSON\n%.300s", path, ct, body)
	}
	if err := json.Unmarshal([]byte(body), out); err != nil {
		t.Fatalf("GET %s: %v\n%.300s", path, err, body)
	}
	return res
}

func TestNewsroomTokens_authorsByNameOrEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		b := ts.signIn(t, "reporter@paper.example")
		b.createArticle(t, articleForm("Night buses stay")) // by Mina Park
		f := articleForm("Second story")
		f.Set("authors", "Jun Seo <jun.seo@paper.example>\nMina Park <mina.park@paper.example>")
		b.createArticle(t, f)

		var got struct {
			Authors []struct{ Name, Email, Slug string } `json:"authors"`
		}
		if res := getJSON(t, b, "/newsroom/authors.json?q="+url.QueryEscape("MINA"), &got); res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if len(got.Authors) != 1 || got.Authors[0].Email != "mina.park@paper.example" || got.Authors[0].Name != "Mina Park" || got.Authors[0].Slug == "" {
			t.Errorf("q MINA: got %+v, want Mina Park with her email and slug", got.Authors)
		}
		got.Authors = nil
		getJSON(t, b, "/newsroom/authors.json?q=jun.seo@", &got)
		if len(got.Authors) != 1 || got.Authors[0].Name != "Jun Seo" {
			t.Errorf("by email: got %+v, want Jun Seo", got.Authors)
		}
		got.Authors = nil
		getJSON(t, b, "/newsroom/authors.json?q=nobody-has-this", &got)
		if got.Authors == nil || len(got.Authors) != 0 {
			t.Errorf("no match: got %+v, want an empty list", got.Authors)
		}
	})
}

// Every tag is suggested, not only the first: the endpoint is asked with
// what is typed for the tag at hand.
func TestNewsroomTokens_tagsPrefixFirstThenMostUsed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		b := ts.signIn(t, "editor@paper.example")
		for i, tags := range []string{"Old zeppelins, Zeppelin", "Old zeppelins, Zeppelin, Zephyr", "Old zeppelins"} {
			f := articleForm(fmt.Sprintf("Story %d", i))
			f.Set("tags", tags)
			b.createArticle(t, f)
		}
		var got struct {
			Tags []string `json:"tags"`
		}
		getJSON(t, b, "/newsroom/tags.json?q=zEp", &got)
		// Those that start with the text first; then "Old zeppelins",
		// used most but only holding it. (Drafts are not counted as uses:
		// the store's tests order by recent use.)
		want := []string{"Zephyr", "Zeppelin", "Old zeppelins"}
		if strings.Join(got.Tags, "|") != strings.Join(want, "|") {
			t.Errorf("q zEp: got %q, want %q", got.Tags, want)
		}
	})
}

// The limits: the typed text is bounded (a sentence in the editor's
// language, not a 500), and an answer holds at most 20 suggestions
// however many match.
func TestNewsroomTokens_limits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		b := ts.signIn(t, "editor@paper.example")
		var bylines, tags []string
		for i := range 10 {
			bylines = append(bylines, fmt.Sprintf("Writer %02d <writer%02d@paper.example>", i, i))
		}
		for i := range 20 {
			tags = append(tags, fmt.Sprintf("Topic %02d", i))
		}
		for i := range 3 {
			f := articleForm(fmt.Sprintf("Crowded %d", i))
			f.Set("authors", strings.Join(bylines, "\n"))
			f.Set("tags", strings.Join(tags, ", "))
			b.createArticle(t, f)
			for j := range bylines {
				bylines[j] = strings.Replace(bylines[j], "writer", fmt.Sprintf("w%d-", i), 1)
			}
			for j := range tags {
				tags[j] = fmt.Sprintf("Topic %d%02d", i, j)
			}
		}
		var authors struct {
			Authors []json.RawMessage `json:"authors"`
		}
		getJSON(t, b, "/newsroom/authors.json?q=writer", &authors)
		if len(authors.Authors) != 20 {
			t.Errorf("30 matching authors: got %d suggestions, want 20", len(authors.Authors))
		}
		var tagList struct {
			Tags []string `json:"tags"`
		}
		getJSON(t, b, "/newsroom/tags.json?q=topic", &tagList)
		if len(tagList.Tags) != 20 {
			t.Errorf("60 matching tags: got %d suggestions, want 20", len(tagList.Tags))
		}

		var refusal struct {
			Message string `json:"message"`
		}
		for _, path := range []string{"/newsroom/authors.json", "/newsroom/tags.json"} {
			res := getJSON(t, b, path+"?lang=ko&q="+url.QueryEscape(strings.Repeat("가", 201)), &refusal)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(refusal.Message, "200자") {
				t.Errorf("%s with 201 characters: %d %q, want 400 with a Korean sentence naming the limit", path, res.StatusCode, refusal.Message)
			}
			res = getJSON(t, b, path+"?q="+url.QueryEscape(strings.Repeat("가", 200)), &authors)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s with 200 characters: %d, want 200", path, res.StatusCode)
			}
			res, _ = b.get(t, path+"?q=%ff%fe")
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s with bytes that are not UTF-8: %d, want 400", path, res.StatusCode)
			}
		}
	})
}

// The widget's words come in the editor's language with the article's
// limits, placeholders left for the script.
func TestNewsroomTokens_messagesInTheEditorsLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		b := ts.signIn(t, "reporter@paper.example")
		var got struct {
			Messages map[string]string `json:"messages"`
			Limits   map[string]int    `json:"limits"`
		}
		getJSON(t, b, "/newsroom/tokens.json?lang=ko", &got)
		if got.Messages["newAuthor"] != "새 필자 “{name}” 추가" {
			t.Errorf("newAuthor in Korean: got %q", got.Messages["newAuthor"])
		}
		if got.Limits["authors"] != 10 || got.Limits["tags"] != 20 || got.Limits["query"] != 200 {
			t.Errorf("limits: got %v", got.Limits)
		}
		for k, v := range got.Messages {
			if v == "" || strings.HasPrefix(v, "newsroom_") {
				t.Errorf("message %s has no text: %q", k, v)
			}
		}
	})
}
