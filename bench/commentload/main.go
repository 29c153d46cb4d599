// Command commentload is the load client of bench/comments.sh. It posts
// comments to a running Broadsheet from many signed-in readers at once,
// then checks that every accepted comment was stored (none lost) and
// reports how long accepted comments took to show on the public list.
//
// It opens the server's database itself (store.Open on the same SQLite
// file or PostgreSQL DSN) to raise the anti-manipulation limits, create
// the readers with their sessions and count what was stored:
//
//	go run ./bench/commentload -db DATA/broadsheet.db -url http://127.0.0.1:8080 -readers 200 -duration 30s
//
// It only talks to a server on 127.0.0.1 (or localhost), and exits with
// status 1 when the stored comments differ from the accepted ones.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"broadsheet/bench/internal/loadcmd"
	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/page"
	"broadsheet/internal/reader"
	"broadsheet/internal/store"
)

func main() { loadcmd.Main("commentload", run) }

// options are the command's flags.
type options struct {
	dsn        string
	base       string
	engine     string
	readers    int
	duration   time.Duration
	settle     time.Duration
	probeEvery time.Duration
	serverPID  int
	result     string
	spreadIPs  bool
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("commentload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.dsn, "db", "", "the server's database: SQLite file path or postgres:// DSN (required)")
	fs.StringVar(&o.base, "url", "", "the server, such as http://127.0.0.1:8080 (required)")
	fs.StringVar(&o.engine, "engine", "", "label for the results (default: the database engine)")
	fs.IntVar(&o.readers, "readers", 200, "signed-in readers posting at once, one connection each")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "how long the readers post")
	fs.DurationVar(&o.settle, "settle", 2500*time.Millisecond,
		"wait after raising the limits, so the server's settings cache (2 s) has expired")
	fs.DurationVar(&o.probeEvery, "probe-every", 200*time.Millisecond, "how often the newest accepted comment is looked for")
	fs.IntVar(&o.serverPID, "server-pid", 0, "the server's process id, to report its CPU time per comment (Linux)")
	fs.StringVar(&o.result, "result", "", "append the results as one tab-separated line to this file")
	fs.BoolVar(&o.spreadIPs, "spread-ips", false,
		"give each reader its own address in X-Forwarded-For (198.18.0.0/15); the server must trust 127.0.0.1 as a proxy")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.dsn == "" || o.base == "":
		return o, errors.New("-db and -url are required")
	case o.readers < 1 || o.readers > 10_000:
		return o, errors.New("-readers must be from 1 to 10000")
	case o.duration <= 0:
		return o, errors.New("-duration must be positive")
	}
	base, err := loadcmd.LocalBase(o.base)
	o.base = base
	return o, err
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, o.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if o.engine == "" {
		o.engine = db.Engine()
	}
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "commentload: "+format+"\n", a...) }

	raised := time.Now()
	if err := raiseLimits(ctx, db); err != nil {
		return err
	}
	runID := randomHex(4)
	readers, err := createReaders(ctx, db, o.readers, runID)
	if err != nil {
		return err
	}
	arts, preMod, err := openArticles(ctx, db)
	if err != nil {
		return err
	}
	logf("%s: %d readers signed in; %d published articles open to comments (%d pre-moderated)",
		o.engine, len(readers), len(arts), preMod)
	// The server keeps the comment settings for 2 s: wait until the
	// raised limits are certainly in force there.
	if err := sleep(ctx, o.settle-time.Since(raised)); err != nil {
		return err
	}

	logf("%s: %d readers posting for %s to %s", o.engine, len(readers), o.duration, o.base)
	res, err := load(ctx, o, readers, arts, runID)
	if err != nil {
		return err
	}
	stored, err := countStored(ctx, db, readers)
	if err != nil {
		return err
	}
	rep := newReport(o, res, stored)
	rep.print(stdout)
	if o.result != "" {
		if err := rep.appendTo(o.result); err != nil {
			return err
		}
	}
	if !rep.equal {
		return fmt.Errorf("%s: %d comments accepted but %d stored (%d accepted and missing, %d stored but not acknowledged)",
			o.engine, rep.accepted, rep.stored, rep.missing, rep.unacked)
	}
	return nil
}

// raiseLimits lifts the anti-manipulation limits that would refuse a
// reader posting many comments quickly. Duplicate detection stays on:
// every body the readers send is different.
func raiseLimits(ctx context.Context, db *store.DB) error {
	want := map[string]string{
		"comments_per_day":                  "1000000",
		"comments_per_article":              "1000000",
		"comments_interval_seconds":         "0",
		"comments_per_ip_hour":              "0",
		"comments_new_account_wait_seconds": "0",
	}
	if _, bad := comment.DefaultSettings().Change(want); len(bad) > 0 {
		return fmt.Errorf("raise limits: refused settings %v", bad)
	}
	for k, v := range want {
		if err := db.SetSetting(ctx, k, v); err != nil {
			return fmt.Errorf("raise limits: %w", err)
		}
	}
	return nil
}

// benchReader is one signed-in reader: their account and session cookie.
type benchReader struct {
	id     int64
	cookie string
	csrf   string
}

// createReaders signs in n new readers, each with a session and the
// Standards Board Policy in force accepted.
func createReaders(ctx context.Context, db *store.DB, n int, runID string) ([]benchReader, error) {
	version := ""
	switch pg, err := db.PageBySlug(ctx, comment.PolicySlug); {
	case err == nil:
		version = comment.ParsePolicy(pg.Body).Version
	case !errors.Is(err, page.ErrNotFound):
		return nil, fmt.Errorf("policy page: %w", err)
	}
	out := make([]benchReader, 0, n)
	for i := range n {
		rd, err := db.SignInReader(ctx, reader.Reader{Provider: "bench", Subject: "commentload-" + runID + "-" + strconv.Itoa(i),
			DisplayName: fmt.Sprintf("Load reader %d", i+1)})
		if err != nil {
			return nil, err
		}
		cookie, s := reader.NewSession(time.Now())
		s.ReaderID = rd.ID
		if err := db.CreateSession(ctx, s); err != nil {
			return nil, err
		}
		if err := db.AcceptPolicy(ctx, rd.ID, version); err != nil {
			return nil, fmt.Errorf("accept policy: %w", err)
		}
		out = append(out, benchReader{id: rd.ID, cookie: cookie, csrf: s.CSRF})
	}
	return out, nil
}

// openArticles lists the published articles that take comments, and how
// many of them hold comments for a moderator.
func openArticles(ctx context.Context, db *store.DB) ([]int64, int, error) {
	list, err := db.ListArticles(ctx, article.ListQuery{Scope: article.PublicScope(), Status: article.Published, Limit: 100})
	if err != nil {
		return nil, 0, err
	}
	svc := comment.NewService(db, nil)
	var ids []int64
	preMod := 0
	for _, a := range list {
		mode, err := svc.Mode(ctx, a.ID)
		if err != nil {
			return nil, 0, fmt.Errorf("comment mode of article %d: %w", a.ID, err)
		}
		switch mode {
		case comment.Closed:
			continue
		case comment.PreMod:
			preMod++
		}
		ids = append(ids, a.ID)
	}
	if len(ids) == 0 {
		return nil, 0, errors.New("no published article takes comments")
	}
	return ids, preMod, nil
}

// storedComments is what the database holds from the readers of a run.
type storedComments struct {
	ids      map[int64]bool
	byStatus map[comment.Status]int
}

// countStored reads back every comment of the run's readers.
func countStored(ctx context.Context, db *store.DB, readers []benchReader) (storedComments, error) {
	st := storedComments{ids: map[int64]bool{}, byStatus: map[comment.Status]int{}}
	for _, r := range readers {
		const page = 10_000
		for off := 0; ; off += page {
			list, err := db.ReaderComments(ctx, r.id, false, off, page)
			if err != nil {
				return st, err
			}
			for _, c := range list {
				st.ids[c.ID] = true
				st.byStatus[c.Status]++
			}
			if len(list) < page {
				break
			}
		}
	}
	return st, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
