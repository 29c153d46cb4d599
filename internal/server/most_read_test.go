package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/config"
	"broadsheet/internal/store/storetest"
)

const browserUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"

// Views are counted on our own server for readers' browsers only, added
// to the database in batches, and listed most first.
func TestMostRead_countsReadersNotBots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e, func(c *config.Config) { c.ViewsEvery = 20 * time.Millisecond })
		list, err := ts.db.ListArticles(context.Background(), article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 3})
		if err != nil || len(list) < 3 {
			t.Fatal(err)
		}
		first, second, botsOnly := list[2], list[1], list[0]
		for i := 0; i < 3; i++ {
			if res, _ := ts.get(t, first.URL(), "User-Agent", browserUA); res.StatusCode != 200 {
				t.Fatal(res.StatusCode)
			}
		}
		ts.get(t, second.URL(), "User-Agent", browserUA)
		for _, ua := range []string{"Googlebot/2.1 (+http://www.google.com/bot.html)", "facebookexternalhit/1.1", "curl/8.0", "", "Mozilla/5.0 HeadlessChrome/156"} {
			for i := 0; i < 5; i++ {
				ts.get(t, botsOnly.URL(), "User-Agent", ua)
			}
		}
		ts.get(t, first.URL()+"-wrong-slug", "User-Agent", browserUA) // a redirect is not a view
		ts.get(t, "/article/999999/nothing", "User-Agent", browserUA) // nor a 404
		// Wait for the batch to reach the database (the page itself may be
		// kept for a minute, so it is asked for once, after).
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, counts, err := ts.db.MostRead(context.Background(), time.Now().Add(-time.Hour), 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(counts) >= 2 || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		_, page := ts.get(t, "/most-read/today")
		i, j := strings.Index(page, first.Headline), strings.Index(page, second.Headline)
		if !strings.Contains(page, "3 reads") || i < 0 || j < 0 || i > j {
			t.Fatalf("most read today does not list %q (3 reads) before %q (1 read)", first.Headline, second.Headline)
		}
		if strings.Contains(page, botsOnly.Headline) {
			t.Error("views by bots were counted")
		}
		if res, _ := ts.get(t, "/most-read/ever"); res.StatusCode != http.StatusNotFound {
			t.Errorf("an unknown period: %d", res.StatusCode)
		}
		if _, week := ts.get(t, "/most-read/week"); !strings.Contains(week, first.Headline) {
			t.Error("this week's list lacks today's most read")
		}
		if _, home := ts.get(t, "/?lang=en"); !strings.Contains(home, `class="most-read-box"`) {
			t.Error("the home page has no most-read box")
		}
	})
}
