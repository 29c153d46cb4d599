package main

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
)

// propagation is the bound the site promises: a change made through any
// instance is served by every instance within it. bench/cluster.sh
// measures it; this test logs each change's time against it.
const propagation = time.Second

// TestCluster_threeInstancesServeEveryChange starts three
// instances at the same moment on an empty PostgreSQL database with the
// demo, warms their page caches, and makes changes through the first
// one's API, the second one's newsroom and the third one's API (settings,
// sections): every instance serves each change, and the time it took is
// logged against the promised second. It then ends the listening
// sessions, makes a change in the gap, and checks the instances recover
// with no stale page; keeps them away, and checks a change and a takedown
// made meanwhile are served by every instance all the same, /readyz
// reporting the gap while it lasts; and a scheduled story goes out once,
// on every instance, its delay after its time logged.
func TestCluster_threeInstancesServeEveryChange(t *testing.T) {
	bin := buildBinary(t)
	server := postgresServer(t)
	dsn := emptyPostgresDatabase(t)
	dir := t.TempDir()
	// One media folder, as instances behind one address share (the demo's
	// images are written by whichever instance loads it).
	ins := startInstances(t, bin, 3, nil, "--db", dsn, "--demo", "--data", dir,
		"--media", filepath.Join(dir, "media"), "--access-log=false")
	a, b := ins[0], ins[1]
	loads := 0
	for _, in := range ins {
		loads += strings.Count(in.Logs(), `"loaded_now":true`)
	}
	if loads != 1 {
		t.Fatalf("the demo was loaded %d times by three instances started together, want once", loads)
	}

	token := createToken(t, dsn, dir)
	desk := newDesk(t, dsn, b)
	c := &cluster{t: t, ins: ins}

	// Warm every kind of page on every instance, then change a headline
	// behind the site's back: a warm cache keeps serving the old one,
	// which is how the test knows the pages are cached (and that, without
	// the broadcast, an instance would keep serving a changed page).
	demo := c.firstArticleOn("/section/national/social-affairs")
	demoTag := c.api(a, token, "GET", fmt.Sprintf("/api/v1/articles/%d", articleIDOf(t, demo)), nil).Tags
	if len(demoTag) == 0 {
		t.Fatalf("the demo article %s has no tag", demo)
	}
	tagPage := "/tag/" + article.Slugify(demoTag[0])
	warm := []string{"/", "/section/national/social-affairs", demo, tagPage, "/feed.xml"}
	for _, in := range ins {
		for _, p := range warm {
			if st, _ := getPage(t, in.URL+p); st != http.StatusOK {
				t.Fatalf("%s%s: %d", in.URL, p, st)
			}
		}
	}
	_, before := getPage(t, a.URL+demo)
	headline := pageTitle(before)
	execPostgres(t, dsn, `UPDATE articles SET headline = headline || ' (changed behind the cache)'
		WHERE id = $1`, articleIDOf(t, demo))
	for _, in := range ins {
		for _, p := range warm {
			if _, body := getPage(t, in.URL+p); strings.Contains(body, "(changed behind the cache)") {
				t.Fatalf("%s%s is not served from the page cache: it shows a change made behind it", in.URL, p)
			}
		}
	}
	if !strings.Contains(before, headline) || headline == "" {
		t.Fatalf("no headline found on %s", demo)
	}

	// Through A's API: publish, edit the headline, unpublish.
	created := c.api(a, token, "POST", "/api/v1/articles", map[string]any{
		"headline": "Harbour ferry returns after storm", "body": "The ferry sailed at dawn.\n\nIt was full.",
		"section": "national/social-affairs", "status": "published", "tags": []string{demoTag[0]},
		"authors": []map[string]string{{"name": "Lee Seo-yeon", "email": "lee.seoyeon@paper.example"}}})
	lists := []string{"/", "/section/national/social-affairs", tagPage, "/feed.xml"}
	c.allServe("the API's new article", append(lists, created.URL), pageShows("Harbour ferry returns after storm"))

	edited := c.api(a, token, "PATCH", fmt.Sprintf("/api/v1/articles/%d", created.ID), map[string]any{
		"headline": "Harbour ferry back in service after storm", "version": created.Version})
	c.allServe("the API's new headline", append(lists, edited.URL),
		allOf(pageShows("Harbour ferry back in service after storm"), pageLacks("Harbour ferry returns after storm")))

	c.api(a, token, "POST", fmt.Sprintf("/api/v1/articles/%d/unpublish", created.ID), map[string]any{})
	c.allServe("the API's unpublished article is gone", []string{edited.URL}, pageStatus(http.StatusNotFound))
	c.allServe("the API's unpublished article is off the lists", lists, pageLacks("Harbour ferry back in service"))

	// Through B's newsroom: publish again, edit the headline, correct,
	// unpublish.
	cur := c.api(a, token, "GET", fmt.Sprintf("/api/v1/articles/%d", created.ID), nil)
	desk.post(fmt.Sprintf("/newsroom/articles/%d/publish", cur.ID), url.Values{"version": {fmt.Sprint(cur.Version)}})
	c.allServe("the newsroom's publication", append(lists, cur.URL), pageShows("Harbour ferry back in service after storm"))

	cur = c.api(a, token, "GET", fmt.Sprintf("/api/v1/articles/%d", created.ID), nil)
	f := url.Values{"headline": {"Ferry sails again as harbour reopens"}, "deck": {cur.Deck}, "body": {cur.Body},
		"section": {cur.Section}, "tags": {strings.Join(cur.Tags, ", ")}, "slug": {cur.Slug},
		"version": {fmt.Sprint(cur.Version)}, "action": {"save"}, "comment_mode": {"inherit"}}
	var bylines []string
	for _, au := range cur.Authors {
		bylines = append(bylines, au.Name+" <"+au.Email+">")
	}
	f.Set("authors", strings.Join(bylines, "\n"))
	desk.post(fmt.Sprintf("/newsroom/articles/%d", cur.ID), f)
	c.allServe("the newsroom's new headline", append(lists, cur.URL),
		allOf(pageShows("Ferry sails again as harbour reopens"), pageLacks("Harbour ferry back in service")))

	desk.post(fmt.Sprintf("/newsroom/articles/%d/corrections", cur.ID), url.Values{
		"correction": {"An earlier version gave the wrong day for the first sailing."}})
	c.allServe("the newsroom's correction", []string{cur.URL}, pageShows("gave the wrong day for the first sailing"))

	cur = c.api(a, token, "GET", fmt.Sprintf("/api/v1/articles/%d", created.ID), nil)
	desk.post(fmt.Sprintf("/newsroom/articles/%d/unpublish", cur.ID), url.Values{"version": {fmt.Sprint(cur.Version)}})
	c.allServe("the newsroom's unpublished article is gone", []string{cur.URL}, pageStatus(http.StatusNotFound))
	c.allServe("the newsroom's unpublished article is off the lists", lists, pageLacks("Ferry sails again"))

	// Through C's API: the site's settings and its sections, which every
	// page shows (through the navigation memo as well as the pages).
	admin := adminToken(t, dsn, dir)
	c.api(ins[2], admin, "PATCH", "/api/v1/settings", map[string]any{"site_name": "The Harbour Courier"})
	c.allServe("the new site name", []string{"/", demo, tagPage}, pageShows("The Harbour Courier"))
	c.api(ins[2], admin, "POST", "/api/v1/sections", map[string]any{"slug": "harbour", "name": "Harbour Life"})
	c.allServe("the new section in the navigation", []string{"/", demo}, pageShows(`href="/section/harbour"`))

	// The listening sessions end (a database restart, an operator), and a
	// change is made at once, likely before they are back: nothing stale
	// is served once they reconnect.
	if n := terminateListeners(t, server, dsn); n != 3 {
		t.Fatalf("ended %d listening sessions, want one per instance", n)
	}
	c.api(a, token, "PATCH", fmt.Sprintf("/api/v1/articles/%d", articleIDOf(t, demo)), map[string]any{
		"headline": "Night market reopens by the river"})
	c.allServeWithin(5*time.Second, "a change made as the listeners dropped", []string{"/section/national/social-affairs", demo},
		allOf(pageShows("Night market reopens by the river"), pageLacks(headline)))
	for i, in := range ins {
		waitForLog(t, in, "invalidation listener reconnected; page cache emptied", fmt.Sprintf("instance %d", i+1))
	}

	// A longer gap: the database refuses new sessions, so the listeners
	// stay away. /readyz reports it, then takes the instances out of
	// service. A change made meanwhile is served by every instance at
	// once all the same — cut off, an instance renders from the database
	// rather than from a cache that cannot hear of the change — and still
	// once they are back.
	execPostgres(t, server, `ALTER DATABASE `+databaseName(t, dsn)+` ALLOW_CONNECTIONS false`)
	reopened := false
	reopen := func() {
		if !reopened {
			reopened = true
			execPostgres(t, server, `ALTER DATABASE `+databaseName(t, dsn)+` ALLOW_CONNECTIONS true`)
		}
	}
	defer reopen()
	if n := terminateListeners(t, server, dsn); n != 3 {
		t.Fatalf("ended %d listening sessions, want 3", n)
	}
	var st int
	var ready string
	waitWithin(t, 5*time.Second, "/readyz reports the gap", func() bool {
		st, ready = getPage(t, b.URL+"/readyz")
		return strings.Contains(ready, "invalidation: listener disconnected since")
	})
	if st != http.StatusOK {
		t.Errorf("/readyz at the start of the gap: %d\n%s\nwant 200 during the grace", st, ready)
	}
	cutOff := func(what string) {
		for i, in := range ins {
			if _, ready := getPage(t, in.URL+"/readyz"); !strings.Contains(ready, "invalidation: listener disconnected since") {
				t.Fatalf("%s: instance %d is not cut off, so the test shows nothing of the gap:\n%s", what, i+1, ready)
			}
		}
	}
	waitWithin(t, 5*time.Second, "every instance notices the gap", func() bool {
		for _, in := range ins {
			if _, ready := getPage(t, in.URL+"/readyz"); !strings.Contains(ready, "invalidation: listener disconnected since") {
				return false
			}
		}
		return true
	})
	c.api(a, token, "PATCH", fmt.Sprintf("/api/v1/articles/%d", articleIDOf(t, demo)), map[string]any{
		"headline": "Night market stays open late"})
	c.allServe("the change made in the gap, while the listeners are away", []string{"/section/national/social-affairs", demo},
		allOf(pageShows("Night market stays open late"), pageLacks("Night market reopens")))
	cutOff("after the change in the gap")
	// And a takedown in the gap: gone from every instance at once.
	c.api(a, token, "POST", fmt.Sprintf("/api/v1/articles/%d/unpublish", articleIDOf(t, demo)), map[string]any{})
	c.allServe("the takedown made in the gap", []string{demo}, pageStatus(http.StatusNotFound))
	c.allServe("the takedown made in the gap is off the front", []string{"/section/national/social-affairs"},
		pageLacks("Night market stays open late"))
	cutOff("after the takedown in the gap")
	c.api(a, token, "POST", fmt.Sprintf("/api/v1/articles/%d/publish", articleIDOf(t, demo)), map[string]any{})
	c.allServe("the story published again in the gap", []string{demo}, pageShows("Night market stays open late"))
	waitWithin(t, 15*time.Second, "/readyz takes the instance out of service", func() bool {
		st, ready = getPage(t, b.URL+"/readyz")
		return st == http.StatusServiceUnavailable
	})
	if !strings.Contains(ready, "invalidation: listener disconnected since") {
		t.Errorf("/readyz out of service says %q; want the gap reported", ready)
	}
	reopen()
	c.allServeWithin(10*time.Second, "the change made in the gap, once the listeners are back", []string{"/section/national/social-affairs", demo},
		allOf(pageShows("Night market stays open late"), pageLacks("Night market reopens")))
	for _, in := range ins {
		waitWithin(t, 10*time.Second, "/readyz ready again", func() bool {
			st, ready := getPage(t, in.URL+"/readyz")
			return st == http.StatusOK && strings.Contains(ready, "invalidation: listening since")
		})
	}

	// A story scheduled a few seconds ahead goes out within a second of
	// its time on every instance, published by exactly one of them.
	sched := c.api(a, token, "POST", "/api/v1/articles", map[string]any{
		"headline": "Lantern festival opens tonight", "body": "Lanterns line the river.\n\nThousands came.",
		"section": "national/social-affairs", "status": "draft",
		"authors": []map[string]string{{"name": "Lee Seo-yeon", "email": "lee.seoyeon@paper.example"}}})
	due := time.Now().Add(3 * time.Second).Truncate(time.Millisecond)
	c.api(a, token, "POST", fmt.Sprintf("/api/v1/articles/%d/schedule", sched.ID), map[string]any{"publish_at": due})
	c.allServeWithin(time.Until(due)+10*time.Second, "the scheduled story",
		[]string{"/section/national/social-affairs", sched.URL}, pageShows("Lantern festival opens tonight"))
	slowest := c.slowestSince(due)
	t.Logf("the scheduled story was served by every instance %s after its time", slowest.Round(time.Millisecond))
	if slowest > propagation {
		t.Logf("the scheduled story reached the last instance %s after its time, over the %s an unloaded machine keeps", slowest, propagation)
	}
	// Every instance woke for it; the audit log shows one publication,
	// by the scheduler (its staff name), and the logs one instance's.
	var publications int
	queryPostgres(t, dsn, `SELECT count(*) FROM audit_log WHERE action = 'article.publish' AND target_id = $1`,
		[]any{sched.ID}, &publications)
	if publications != 1 {
		t.Errorf("the scheduled story was published %d times, want exactly once", publications)
	}
	waitWithin(t, 5*time.Second, "an instance logs the publication", func() bool { return publishedInLogs(ins) > 0 })
	if n := publishedInLogs(ins); n != 1 {
		t.Errorf("the instances logged %d scheduled publications in all, want 1", n)
	}
	t.Logf("slowest propagation of a change to every instance: %s", c.worst)
}
