// Command propagation measures how long an edit made through one
// Broadsheet instance takes to show on the others: it changes an
// article's headline through the first instance's API, then polls the
// article's page on every watched address (other instances, or a cache
// in front of them) until each shows the new headline, and prints the
// p50 and p99 of that delay over the edits. bench/cluster.sh runs it.
//
// Each watched page is read once before the first edit so that it sits
// in the instance's page cache: the delay measured is that of the
// invalidation, not of a first render. An edit not seen everywhere
// within -cap counts as "not within cap"; the run stops after -n edits
// or -budget, whichever comes first, so that it is bounded in time
// whatever the code under test does.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"
)

func main() {
	edit := flag.String("edit", "", "base URL of the instance edited through, e.g. http://127.0.0.1:8081")
	watch := flag.String("watch", "", "comma-separated base URLs polled for the change")
	token := flag.String("token", "", "an editor's API token")
	id := flag.Int64("article", 0, "id of a published article to edit")
	n := flag.Int("n", 200, "number of edits")
	capWait := flag.Duration("cap", 2*time.Second, "longest wait for one edit to show everywhere")
	budget := flag.Duration("budget", 60*time.Second, "longest time for the whole run")
	flag.Parse()
	if *edit == "" || *watch == "" || *token == "" || *id == 0 {
		fmt.Fprintln(os.Stderr, "propagation: -edit, -watch, -token and -article are required")
		os.Exit(2)
	}
	r := &runner{edit: *edit, watch: strings.Split(*watch, ","), token: *token, id: *id,
		client: &http.Client{Timeout: 10 * time.Second}}
	res, err := r.run(*n, *capWait, *budget)
	if err != nil {
		fmt.Fprintln(os.Stderr, "propagation:", err)
		os.Exit(1)
	}
	fmt.Println(res.String(*capWait))
}

type runner struct {
	edit   string
	watch  []string
	token  string
	id     int64
	client *http.Client
}

type result struct {
	delays []time.Duration // of the edits seen everywhere within the cap
	missed int             // edits not seen everywhere within the cap
}

// String is one line the bench script parses: key=value pairs, the
// delays in milliseconds.
func (r result) String(capWait time.Duration) string {
	if len(r.delays) == 0 {
		return fmt.Sprintf("edits=%d seen=0 missed=%d cap_s=%g p50_ms=- p99_ms=-", r.missed, r.missed, capWait.Seconds())
	}
	slices.Sort(r.delays)
	q := func(p float64) string {
		// A missed edit is slower than any seen one: with misses, a
		// quantile that falls among them is "over the cap".
		total := len(r.delays) + r.missed
		i := int(p * float64(total-1))
		if i >= len(r.delays) {
			return ">cap"
		}
		return fmt.Sprintf("%.1f", float64(r.delays[i].Microseconds())/1000)
	}
	return fmt.Sprintf("edits=%d seen=%d missed=%d cap_s=%g p50_ms=%s p99_ms=%s",
		len(r.delays)+r.missed, len(r.delays), r.missed, capWait.Seconds(), q(0.50), q(0.99))
}

func (r *runner) run(n int, capWait, budget time.Duration) (result, error) {
	var res result
	path, err := r.articlePath()
	if err != nil {
		return res, err
	}
	for _, w := range r.watch {
		if _, err := r.page(w + path); err != nil {
			return res, err
		}
	}
	end := time.Now().Add(budget)
	stamp := time.Now().UnixNano() % 1e6
	for i := 0; i < n && time.Now().Before(end); i++ {
		headline := fmt.Sprintf("Harbour tide edit %d-%d", stamp, i)
		if err := r.setHeadline(headline); err != nil {
			return res, err
		}
		acked := time.Now()
		want := html.EscapeString(headline)
		pending := slices.Clone(r.watch)
		for len(pending) > 0 && time.Since(acked) < capWait {
			pending = slices.DeleteFunc(pending, func(w string) bool {
				body, err := r.page(w + path)
				return err == nil && strings.Contains(body, want)
			})
			if len(pending) > 0 {
				time.Sleep(2 * time.Millisecond)
			}
		}
		if len(pending) == 0 {
			res.delays = append(res.delays, time.Since(acked))
		} else {
			res.missed++
		}
	}
	return res, nil
}

// articlePath asks the API for the article's public path.
func (r *runner) articlePath() (string, error) {
	var a struct{ URL, Status string }
	if err := r.api("GET", nil, &a); err != nil {
		return "", err
	}
	if a.Status != "published" {
		return "", fmt.Errorf("article %d is %s, not published", r.id, a.Status)
	}
	return a.URL, nil
}

func (r *runner) setHeadline(h string) error {
	b, _ := json.Marshal(map[string]string{"headline": h})
	return r.api("PATCH", b, nil)
}

func (r *runner) api(method string, body []byte, out any) error {
	url := fmt.Sprintf("%s/api/v1/articles/%d", r.edit, r.id)
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d: %s", method, url, res.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, url, err)
		}
	}
	return nil
}

func (r *runner) page(url string) (string, error) {
	res, err := r.client.Get(url)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", url, err)
	}
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %d", url, res.StatusCode)
	}
	return string(b), nil
}
