package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"broadsheet/internal/reader"
)

// loadResult is what the readers and the visibility probe saw.
type loadResult struct {
	elapsed   time.Duration   // from the first post to the last answer
	accepted  []int64         // ids of the comments answered 201
	held      int             // of those, held for a moderator
	latencies []time.Duration // of every answered post
	perSecond []int64         // accepted comments by second since the start
	refused   map[string]int  // "429 rate_limited" → count
	transport int             // posts without an HTTP answer
	firstErr  string

	visible    []time.Duration // from a post's 201 to the public list showing it
	notVisible int             // probed comments not shown within probeLimit
	retried    int             // probed comments not shown on the first look

	cpu cpuUse
}

// probeLimit is how long the probe looks for one comment before it
// counts it as not visible.
const probeLimit = 10 * time.Second

// accepted is a comment the server answered 201 for.
type accepted struct {
	id, articleID int64
	created       time.Time // the comment's created_at, as the list sorts it
	at            time.Time // when the 201 arrived
}

// load runs one goroutine per reader, each on its own kept-alive
// connection, posting to random articles until o.duration has passed.
// Posts in flight at the end are waited for and counted. Meanwhile, every
// o.probeEvery, a probe takes the next comment accepted as visible and
// looks for it on the public list, as an anonymous reader would.
func load(ctx context.Context, o options, readers []benchReader, articles []int64, runID string) (loadResult, error) {
	perSecond := make([]atomic.Int64, int(o.duration/time.Second)+60)
	workers := make([]*worker, len(readers))
	for i, r := range readers {
		workers[i] = &worker{n: i, r: r, base: o.base, articles: articles, runID: runID, forwardedFor: spreadIP(o, i),
			client: newClient(), refused: map[string]int{}, perSecond: perSecond}
	}
	pr := newProber(o.base)

	cpu0 := readCPU(o.serverPID)
	start := time.Now()
	deadline := start.Add(o.duration)
	var wg sync.WaitGroup
	for _, w := range workers {
		w.start = start
		wg.Go(func() { w.run(ctx, deadline, pr) })
	}
	stopProbe := make(chan struct{})
	probeDone := make(chan struct{})
	go func() {
		defer close(probeDone)
		pr.run(ctx, o.probeEvery, stopProbe)
	}()
	wg.Wait()
	elapsed := time.Since(start)
	cpu1 := readCPU(o.serverPID)
	close(stopProbe)
	<-probeDone
	if err := ctx.Err(); err != nil {
		return loadResult{}, err
	}

	res := loadResult{elapsed: elapsed, refused: map[string]int{}, visible: pr.delays, notVisible: pr.missing, retried: pr.retried,
		cpu: cpu1.since(cpu0)}
	for i := range perSecond {
		res.perSecond = append(res.perSecond, perSecond[i].Load())
	}
	for _, w := range workers {
		res.accepted = append(res.accepted, w.ids...)
		res.held += w.held
		res.latencies = append(res.latencies, w.latencies...)
		res.transport += w.transport
		for k, v := range w.refused {
			res.refused[k] += v
		}
		if res.firstErr == "" {
			res.firstErr = w.firstErr
		}
	}
	return res, nil
}

// spreadIP is reader i's address with -spread-ips: one from 198.18.0.0/15,
// the range set aside for benchmarks (RFC 2544); "" without.
func spreadIP(o options, i int) string {
	if !o.spreadIPs {
		return ""
	}
	return fmt.Sprintf("198.18.%d.%d", i/250, i%250+1)
}

// newClient is an HTTP client with a single kept-alive connection to the
// server, and no proxy whatever the environment says.
func newClient() *http.Client {
	return &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{
			Proxy: nil, MaxIdleConns: 1, MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1,
			IdleConnTimeout: 90 * time.Second, DisableCompression: true,
		},
	}
}

// worker is one reader posting comments.
type worker struct {
	n        int
	r        benchReader
	base     string
	articles []int64
	runID    string
	client   *http.Client
	// forwardedFor, when set, is sent as X-Forwarded-For: with the server
	// trusting 127.0.0.1 as its proxy, each reader has its own address.
	forwardedFor string
	start        time.Time
	perSecond    []atomic.Int64

	ids       []int64
	held      int
	latencies []time.Duration
	refused   map[string]int
	transport int
	firstErr  string
}

// postAnswer is the part of the API's answers the client reads: a stored
// comment (201) or an error.
type postAnswer struct {
	ID        int64     `json:"id"`
	ArticleID int64     `json:"article_id"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	Code      string    `json:"code"`
	Error     string    `json:"error"`
}

func (w *worker) run(ctx context.Context, deadline time.Time, pr *prober) {
	defer w.client.CloseIdleConnections()
	for seq := 0; time.Now().Before(deadline) && ctx.Err() == nil; seq++ {
		art := w.articles[rand.IntN(len(w.articles))]
		// Every body is different, so duplicate detection (still on)
		// never refuses one.
		body := fmt.Sprintf("Load test comment %d from reader %d, run %s: the council should publish the bridge report before it votes.",
			seq, w.n+1, w.runID)
		t0 := time.Now()
		status, ans, err := w.post(ctx, art, body)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			w.transport++
			w.note(err.Error())
			_ = sleep(ctx, 50*time.Millisecond)
			continue
		}
		now := time.Now()
		w.latencies = append(w.latencies, now.Sub(t0))
		if status != http.StatusCreated {
			w.refused[strconv.Itoa(status)+" "+ans.Code]++
			w.note(fmt.Sprintf("%d %s: %s", status, ans.Code, ans.Error))
			_ = sleep(ctx, 50*time.Millisecond)
			continue
		}
		w.ids = append(w.ids, ans.ID)
		if i := int(now.Sub(w.start) / time.Second); i < len(w.perSecond) {
			w.perSecond[i].Add(1)
		}
		if ans.Status != "visible" {
			w.held++
			continue
		}
		pr.offer(&accepted{id: ans.ID, articleID: art, created: ans.CreatedAt, at: now})
	}
}

func (w *worker) note(msg string) {
	if w.firstErr == "" {
		w.firstErr = msg
	}
}

func (w *worker) post(ctx context.Context, articleID int64, body string) (int, postAnswer, error) {
	var ans postAnswer
	payload, err := json.Marshal(map[string]string{"body": body})
	if err != nil {
		return 0, ans, err
	}
	u := w.base + "/api/v1/articles/" + strconv.FormatInt(articleID, 10) + "/comments"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(payload))
	if err != nil {
		return 0, ans, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", w.r.csrf)
	req.AddCookie(&http.Cookie{Name: reader.CookieName, Value: w.r.cookie})
	if w.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", w.forwardedFor)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, ans, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, ans, err
	}
	if err := json.Unmarshal(raw, &ans); err != nil && resp.StatusCode == http.StatusCreated {
		return 0, ans, fmt.Errorf("201 with an unreadable body: %w", err)
	}
	return resp.StatusCode, ans, nil
}

// prober looks for accepted comments on the public comment list.
type prober struct {
	base    string
	client  *http.Client
	delays  []time.Duration
	missing int
	retried int // probes that did not find the comment on the first look

	want    atomic.Bool    // set by the probe: hand over the next visible comment
	handoff chan *accepted // the comment handed over
}

func newProber(base string) *prober {
	return &prober{base: base, client: newClient(), handoff: make(chan *accepted, 1)}
}

// offer hands c to the probe if it asked for one. Readers call it after
// every visible 201, so the probe starts the moment a post is accepted.
func (p *prober) offer(c *accepted) {
	if p.want.Load() && p.want.CompareAndSwap(true, false) {
		select {
		case p.handoff <- c:
		default:
		}
	}
}

// run asks for the next accepted comment every interval and probes it,
// until stop is closed; a probe in progress is finished first.
func (p *prober) run(ctx context.Context, every time.Duration, stop <-chan struct{}) {
	defer p.client.CloseIdleConnections()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case <-t.C:
		}
		p.want.Store(true)
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case c := <-p.handoff:
			p.probe(ctx, c)
		}
	}
}

// probe fetches the article's public comments, as an anonymous reader,
// until c is on them. The delay runs from the 201 to the answer that
// shows it, so it includes that GET's own time under load.
func (p *prober) probe(ctx context.Context, c *accepted) {
	for try := 0; time.Since(c.at) < probeLimit && ctx.Err() == nil; try++ {
		found, err := p.find(ctx, c)
		if err == nil && found {
			p.delays = append(p.delays, time.Since(c.at))
			if try > 0 {
				p.retried++
			}
			return
		}
		_ = sleep(ctx, 5*time.Millisecond)
	}
	p.missing++
}

// listAnswer is the part of GET /api/v1/articles/{id}/comments the probe reads.
type listAnswer struct {
	Next     *int `json:"next_offset"`
	Comments []struct {
		ID        int64     `json:"id"`
		CreatedAt time.Time `json:"created_at"`
	} `json:"comments"`
}

// find reports whether c is on its article's public list. The list is
// newest first; comments posted since c push it down, so find pages on
// until it passes the place where c belongs.
func (p *prober) find(ctx context.Context, c *accepted) (bool, error) {
	offset := 0
	for range 100 {
		u := p.base + "/api/v1/articles/" + strconv.FormatInt(c.articleID, 10) + "/comments?offset=" + strconv.Itoa(offset)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return false, err
		}
		resp, err := p.client.Do(req)
		if err != nil {
			return false, err
		}
		var l listAnswer
		err = json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(&l)
		resp.Body.Close()
		if err != nil {
			return false, err
		}
		if resp.StatusCode != http.StatusOK {
			return false, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
		}
		for _, x := range l.Comments {
			if x.ID == c.id {
				return true, nil
			}
		}
		if l.Next == nil || len(l.Comments) == 0 {
			return false, nil
		}
		end := l.Comments[len(l.Comments)-1]
		if end.CreatedAt.Before(c.created) || end.CreatedAt.Equal(c.created) && end.ID < c.id {
			return false, nil // the list has passed where c would be
		}
		offset = *l.Next
	}
	return false, nil
}
