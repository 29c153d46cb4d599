package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/comment"
	"broadsheet/internal/store/storetest"
)

// One character may not be a megabyte: every door that takes a comment's
// text refuses a letter with thousands of accents, and a comment whose
// characters are each allowed but add up to too many bytes, with a 422
// that says why in the reader's language.
func TestComments_oneCharacterCannotBeAMegabyte(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, nil)
		a := ts.publishedArticle(t, 0)
		c := ts.newCommenter(t, "Da-eun", true)
		_, body := c.post(t, a.ID, "A fair point")
		mine := decodeJSON[commentJSON](t, body)
		before := ts.commentCount(t, a.ID)

		stacked := "x" + strings.Repeat("\u0301", 5_000)
		// One character of 600 KB, under the API's 1 MiB.
		huge := "x" + strings.Repeat("\u0301", 300_000)
		wide := strings.Repeat("😀"+strings.Repeat("\U000E0020", comment.MaxCharCodePoints-2), 250) // 11,000 bytes
		for _, tt := range []struct{ name, body, reason string }{
			{"a stacked letter", stacked, "character_too_long"},
			{"too many bytes", wide, "too_large"},
			{"a letter of 600 KB", huge, "too_large"},
		} {
			res, text := c.post(t, a.ID, tt.body)
			r := decodeJSON[refusalJSON](t, text)
			if res.StatusCode != 422 || r.Reason != tt.reason || r.Limit == 0 || r.Fields["body"] == "" || !strings.Contains(r.Error, "at most") {
				t.Errorf("POST %s: %d %+v, want 422 %s naming the limit", tt.name, res.StatusCode, r, tt.reason)
			}
			res, text = c.api(t, "PATCH", fmt.Sprintf("/api/v1/comments/%d", mine.ID), map[string]any{"body": tt.body})
			r = decodeJSON[refusalJSON](t, text)
			if res.StatusCode != 422 || r.Reason != tt.reason {
				t.Errorf("PATCH %s: %d %+v, want 422 %s", tt.name, res.StatusCode, r, tt.reason)
			}
		}

		// The reader's form takes at most 64 KB: 10,000 accents fit in it.
		stacked = "x" + strings.Repeat("\u0301", 10_000)
		res, page := c.form(t, a.URL()+"/comments?lang=ko", url.Values{"body": {stacked}, "csrf": {c.csrf}})
		if res.StatusCode != 422 || !strings.Contains(page, "최대 12개까지") {
			t.Errorf("form post of a stacked letter: %d; Korean message shown: %v", res.StatusCode, strings.Contains(page, "최대 12개까지"))
		}
		res, page = c.form(t, fmt.Sprintf("/comments/%d/edit", mine.ID), url.Values{"body": {stacked}, "csrf": {c.csrf}})
		if res.StatusCode != 422 || !strings.Contains(page, "at most 12 are allowed in one character") {
			t.Errorf("form edit to a stacked letter: %d; English message shown: %v", res.StatusCode, strings.Contains(page, "at most 12"))
		}
		res, page = c.form(t, a.URL()+"/comments", url.Values{"body": {wide}, "csrf": {c.csrf}})
		if res.StatusCode != 422 || !strings.Contains(page, "11000 bytes") {
			t.Errorf("form post of 11,000 bytes: %d; message shown: %v", res.StatusCode, strings.Contains(page, "11000 bytes"))
		}

		if after := ts.commentCount(t, a.ID); after != before {
			t.Errorf("%d comments stored", after-before)
		}
		_, body = c.api(t, "GET", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), nil)
		if !strings.Contains(body, "A fair point") {
			t.Error("the comment's text changed")
		}
	})
}
