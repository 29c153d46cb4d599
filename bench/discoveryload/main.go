// Command discoveryload measures how fast readers find articles in a
// large archive: search (by relevance and newest first), section fronts,
// topic pages and the monthly sitemaps, each for a fixed time with a few
// concurrent clients on 127.0.0.1, printing requests per second and the
// p50, p99 and slowest latency. bench/discovery.sh runs it against a
// server started on a database filled by bench/articlegen.
package main

import (
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Words to search for: common and rare words of the generated text,
// prefixes, phrases, Korean words and a word nothing contains.
var queries = []string{"budget", "assembly", "council", "harbour", "election", "court", "prices", "minister",
	"the government", "vote", "workers", "flood", "shipyard", "nights", "chip", "hearing", "contracts",
	"gov*", "elect*", "minis*", `"the government"`, `"national assembly"`, "budget vote", "city council housing",
	"서울", "예산", "정부 예산", "zzyzxnothing", "september", "energy", "students", "hospital"}

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "the server")
	dur := flag.Duration("duration", 10*time.Second, "time per kind of page")
	conns := flag.Int("c", 4, "concurrent clients")
	only := flag.String("only", "", "comma-separated kinds to run (default all)")
	warmup := flag.Duration("warmup", 2*time.Second, "time per kind run first and not counted, so that caches hold what the kind reads")
	flag.Parse()
	if err := run(*base, *dur, *warmup, *conns, *only); err != nil {
		fmt.Fprintln(os.Stderr, "discoveryload:", err)
		os.Exit(1)
	}
}

type kind struct {
	name string
	urls []string
}

func run(base string, dur, warmup time.Duration, conns int, only string) error {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conns}}
	sections, err := sectionPaths(client, base)
	if err != nil {
		return err
	}
	tags, err := locs(client, base+"/sitemaps/tags.xml", 500)
	if err != nil {
		return err
	}
	months, err := locs(client, base+"/sitemap.xml", 200)
	if err != nil {
		return err
	}
	var monthly []string
	for _, m := range months {
		if strings.Contains(m, "/sitemaps/2") { // the monthly files, not news or pages
			monthly = append(monthly, m)
		}
	}
	var search, newest, page []string
	for _, q := range queries {
		search = append(search, base+"/api/v1/search?"+url.Values{"q": {q}}.Encode())
		newest = append(newest, base+"/api/v1/search?"+url.Values{"q": {q}, "sort": {"newest"}}.Encode())
		page = append(page, base+"/search?"+url.Values{"q": {q}}.Encode())
	}
	var fronts []string
	for _, s := range sections {
		fronts = append(fronts, base+"/section/"+s)
	}
	kinds := []kind{{"search (API, relevance)", search}, {"search (API, newest)", newest}, {"search page", page},
		{"section front", fronts}, {"topic page", tags}, {"monthly sitemap", monthly}, {"sitemap index", []string{base + "/sitemap.xml"}}}
	fmt.Printf("%-26s %8s %9s %9s %9s %7s\n", "kind", "req/s", "p50 ms", "p99 ms", "max ms", "errors")
	for _, k := range kinds {
		if only != "" && !slices.Contains(strings.Split(only, ","), strings.Fields(k.name)[0]) {
			continue
		}
		if len(k.urls) == 0 {
			fmt.Printf("%-26s (no addresses found)\n", k.name)
			continue
		}
		if warmup > 0 {
			hammer(client, k.urls, warmup, conns)
		}
		lat, errs, n := hammer(client, k.urls, dur, conns)
		p := func(q float64) float64 {
			if len(lat) == 0 {
				return 0
			}
			return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))]) / 1e6
		}
		fmt.Printf("%-26s %8.0f %9.2f %9.2f %9.2f %7d\n", k.name, float64(n)/dur.Seconds(), p(0.50), p(0.99), p(1), errs)
	}
	return nil
}

// hammer requests random addresses of urls from conns clients for dur,
// and returns the sorted latencies of the 200s, the count of other
// answers and the number of requests.
func hammer(client *http.Client, urls []string, dur time.Duration, conns int) ([]time.Duration, int, int) {
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var mu sync.Mutex
	var all []time.Duration
	errs, n := 0, 0
	var wg sync.WaitGroup
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 9))
			var mine []time.Duration
			bad, count := 0, 0
			for ctx.Err() == nil {
				u := urls[r.IntN(len(urls))]
				start := time.Now()
				req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
				req.Header.Set("User-Agent", "discoveryload (benchmark)")
				res, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						bad++
					}
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				_ = res.Body.Close()
				count++
				if res.StatusCode != http.StatusOK {
					bad++
					continue
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			all, errs, n = append(all, mine...), errs+bad, n+count
			mu.Unlock()
		}(uint64(c + 1))
	}
	wg.Wait()
	slices.Sort(all)
	return all, errs, n
}

// sectionPaths finds the section fronts the site links to: the home
// page's navigation and each top section's subsections.
func sectionPaths(client *http.Client, base string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	pages := []string{base + "/"}
	for len(pages) > 0 {
		res, err := client.Get(pages[0])
		pages = pages[1:]
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if err != nil {
			return nil, err
		}
		for _, m := range sectionLink.FindAllStringSubmatch(string(body), -1) {
			if p := m[1]; !seen[p] && !strings.Contains(p, "feed.") {
				seen[p] = true
				out = append(out, p)
				pages = append(pages, base+"/section/"+p)
			}
		}
	}
	return out, nil
}

var sectionLink = regexp.MustCompile(`href="/section/([a-z0-9/-]+)"`)

// locs reads up to max <loc> addresses of a sitemap or sitemap index.
func locs(client *http.Client, u string, max int) ([]string, error) {
	res, err := client.Get(u)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	dec := xml.NewDecoder(res.Body)
	var out []string
	for len(out) < max {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", u, err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "loc" {
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}
