// Command stampedeload is the load client of bench/stampede.sh. Many
// readers read one article page and its section front from a running
// Broadsheet while a writer edits another article of the same section
// through the API every -write-every: each edit drops both pages from the
// page cache, and the readers that find them gone ask for them at once.
// It reports the readers' latency percentiles and requests per second.
//
// It opens the server's database itself (store.Open on the same SQLite
// file or PostgreSQL DSN) to pick the articles and make an editor's API
// token:
//
//	go run ./bench/stampedeload -db DATA/broadsheet.db -url http://127.0.0.1:8080 -readers 200 -duration 15s
//
// It only talks to a server on 127.0.0.1 (or localhost).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"broadsheet/bench/internal/loadcmd"
	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/section"
	"broadsheet/internal/store"
)

func main() { loadcmd.Main("stampedeload", run) }

type options struct {
	dsn, base, label string
	readers          int
	duration, warmup time.Duration
	writeEvery       time.Duration
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("stampedeload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.dsn, "db", "", "the server's database: SQLite file path or postgres:// DSN (required)")
	fs.StringVar(&o.base, "url", "", "the server, such as http://127.0.0.1:8080 (required)")
	fs.StringVar(&o.label, "label", "", "label of the results line")
	fs.IntVar(&o.readers, "readers", 200, "readers at once, one connection each")
	fs.DurationVar(&o.duration, "duration", 15*time.Second, "how long the measured run lasts")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "load before the measured run, not counted")
	fs.DurationVar(&o.writeEvery, "write-every", 100*time.Millisecond, "how often the other article is edited")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.dsn == "" || o.base == "" {
		return o, errors.New("-db and -url are required")
	}
	base, err := loadcmd.LocalBase(o.base)
	if err != nil {
		return o, err
	}
	o.base = base
	if o.readers < 1 || o.readers > 2000 || o.duration <= 0 || o.duration > time.Minute {
		return o, errors.New("-readers 1..2000 and -duration up to 1m")
	}
	return o, nil
}

// target is what the run reads and edits.
type target struct {
	articlePath, sectionPath string
	editID                   int64
	token                    string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	tg, err := prepare(ctx, o.dsn)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: o.readers + 8,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}}
	ctx, cancel := context.WithTimeout(ctx, o.warmup+o.duration)
	defer cancel()
	start := time.Now()
	measureFrom := start.Add(o.warmup)

	var mu sync.Mutex
	var lat, editLat []time.Duration
	var bad, writeFails int
	var wg sync.WaitGroup
	for i := range o.readers {
		wg.Go(func() {
			var mine []time.Duration
			myBad := 0
			for n := i; ctx.Err() == nil; n++ {
				path := tg.articlePath
				if n%2 == 1 {
					path = tg.sectionPath
				}
				t0 := time.Now()
				code, err := get(ctx, client, o.base+path)
				if ctx.Err() != nil {
					break
				}
				if t0.Before(measureFrom) {
					continue
				}
				mine = append(mine, time.Since(t0))
				if err != nil || code != http.StatusOK {
					myBad++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			bad += myBad
			mu.Unlock()
		})
	}
	wg.Go(func() {
		tick := time.NewTicker(o.writeEvery)
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			t0 := time.Now()
			err := edit(ctx, client, o.base, tg, n)
			if ctx.Err() != nil {
				return
			}
			mu.Lock()
			editLat = append(editLat, time.Since(t0))
			if err != nil {
				writeFails++
				if writeFails == 1 {
					fmt.Fprintln(stderr, "stampedeload: an edit failed:", err)
				}
			}
			mu.Unlock()
		}
	})
	wg.Wait()
	if len(lat) == 0 {
		return errors.New("no request was measured")
	}
	fmt.Fprintf(stdout, "%s\treaders=%d\trequests=%d\treq/s=%.0f\tp50_ms=%.1f\tp99_ms=%.1f\tmax_ms=%.1f\tnon200=%d\tedits=%d\tedit_p50_ms=%.1f\tedit_max_ms=%.1f\tedit_fails=%d\n",
		o.label, o.readers, len(lat), float64(len(lat))/o.duration.Seconds(), pct(lat, 0.50), pct(lat, 0.99), pct(lat, 1),
		bad, len(editLat), pct(editLat, 0.50), pct(editLat, 1), writeFails)
	return nil
}

// pct is the p-th quantile of d in milliseconds (1: the largest).
func pct(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return float64(d[min(len(d)-1, int(p*float64(len(d))))].Microseconds()) / 1000
}

func get(ctx context.Context, c *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return 0, err
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

// edit changes the other article's deck through the API. Edits are sent
// one after another, so a slow one delays the next: fewer edits in a run
// mean writes held up.
func edit(ctx context.Context, c *http.Client, base string, tg target, n int) error {
	body := fmt.Sprintf(`{"deck":"Edited for the stampede run, edit %d."}`, n)
	req, err := http.NewRequestWithContext(ctx, "PATCH", fmt.Sprintf("%s/api/v1/articles/%d", base, tg.editID), strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tg.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("PATCH: %d %s", res.StatusCode, b)
	}
	return nil
}

// prepare picks a section with two published articles, the newest to
// read and the next to edit, and makes an editor's API token.
func prepare(ctx context.Context, dsn string) (target, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return target{}, err
	}
	defer db.Close()
	secs, err := db.Sections(ctx)
	if err != nil {
		return target{}, err
	}
	var tg target
	for _, s := range secs {
		list, err := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published,
			SectionIDs: []int64{s.ID}, Limit: 2})
		if err != nil {
			return target{}, err
		}
		if len(list) == 2 {
			tg = target{articlePath: list[0].URL(), sectionPath: sectionPath(s), editID: list[1].ID}
			break
		}
	}
	if tg.articlePath == "" {
		return target{}, errors.New("no section has two published articles")
	}
	const email = "stampede-editor@bench.example"
	st, _, err := db.StaffByEmail(ctx, email)
	if errors.Is(err, account.ErrNoStaff) {
		st, err = db.CreateStaff(ctx, account.Staff{Email: email, Name: "Stampede Editor", Role: account.Editor})
	}
	if err != nil {
		return target{}, fmt.Errorf("editor: %w", err)
	}
	plain, hash, err := account.NewToken()
	if err != nil {
		return target{}, err
	}
	if _, err := db.CreateToken(ctx, st.ID, hash); err != nil {
		return target{}, err
	}
	tg.token = plain
	return tg, nil
}

func sectionPath(s section.Section) string { return "/section/" + s.Path }
