package importer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/cache"
)

// ErrBusy refuses an import started while another runs on the same
// server: one at a time, so that two never write the same records at
// once.
var ErrBusy = errors.New("an import is already running on this server; wait for it to finish")

// Job is what a background import is doing or did, as its status page
// shows it. Only one of Report, Refusal and Failure is set once it ends.
type Job struct {
	ID       string
	Source   string // "wordpress", "ghost"
	File     string // the uploaded file's name, as the browser gave it
	DryRun   bool
	By       string // the staff member who started it
	ByID     int64
	Phase    string // PhaseChecking, PhaseWriting, PhaseRebuilding; "" before it starts
	Done     int    // records written so far
	Started  time.Time
	Finished time.Time // zero while it runs
	Report   *Report
	Refusal  *Error // a malformed record: nothing was imported
	Failure  string // anything else that stopped it (the transaction rolled back)
}

// Running reports whether the import has not finished.
func (j Job) Running() bool { return j.Finished.IsZero() }

// keepJobs is how many finished jobs a server remembers for their pages.
const keepJobs = 20

// Jobs runs imports in the background of a server, one at a time, and
// keeps their state in memory: a restart forgets them (a running one's
// transaction rolls back, so nothing is half-written).
type Jobs struct {
	ctx    context.Context
	db     Store
	images ImageSaver
	cache  cache.Invalidator
	now    func() time.Time

	wg      sync.WaitGroup
	mu      sync.Mutex
	running string
	jobs    map[string]*Job
	order   []string // ids, oldest first
}

// NewJobs makes the runner: imports stop when ctx ends. images (the media
// library) and inv (the server's cache, which drops the pages an import
// changes at once) are given to every run; now may be nil.
func NewJobs(ctx context.Context, db Store, images ImageSaver, inv cache.Invalidator, now func() time.Time) *Jobs {
	if now == nil {
		now = time.Now
	}
	return &Jobs{ctx: ctx, db: db, images: images, cache: inv, now: now, jobs: map[string]*Job{}}
}

// Busy reports whether an import is running.
func (js *Jobs) Busy() bool {
	js.mu.Lock()
	defer js.mu.Unlock()
	return js.running != ""
}

// Start runs src in the background for actor and returns its job at
// once, or ErrBusy. cleanup runs when the import ends, whatever became of
// it (the uploaded file is removed there); it runs at once on ErrBusy.
func (js *Jobs) Start(actor account.Staff, src Source, file string, dryRun bool, cleanup func()) (Job, error) {
	js.mu.Lock()
	if js.running != "" {
		js.mu.Unlock()
		cleanup()
		return Job{}, ErrBusy
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	j := &Job{ID: hex.EncodeToString(b[:]), Source: src.Name(), File: file, DryRun: dryRun, By: actor.Name, ByID: actor.ID, Started: js.now()}
	js.running = j.ID
	js.jobs[j.ID] = j
	js.order = append(js.order, j.ID)
	for len(js.order) > keepJobs {
		if old := js.order[0]; old != js.running {
			delete(js.jobs, old)
		}
		js.order = js.order[1:]
	}
	snap := *j
	js.mu.Unlock()

	js.wg.Add(1)
	go func() {
		defer js.wg.Done()
		defer cleanup()
		opts := Options{DryRun: dryRun, Images: js.images, Cache: js.cache, Actor: actor, Now: js.now,
			Progress: func(done int) { js.update(j.ID, func(j *Job) { j.Done = done }) },
			Phase:    func(p string) { js.update(j.ID, func(j *Job) { j.Phase = p }) },
		}
		rep, err := Run(js.ctx, js.db, src, opts)
		js.mu.Lock()
		defer js.mu.Unlock()
		j.Finished = js.now()
		if js.running == j.ID {
			js.running = ""
		}
		var refused *Error
		switch {
		case err == nil:
			j.Report = &rep
		case errors.As(err, &refused):
			j.Refusal = refused
		default:
			j.Failure = err.Error()
		}
	}()
	return snap, nil
}

func (js *Jobs) update(id string, fn func(*Job)) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if j, ok := js.jobs[id]; ok {
		fn(j)
	}
}

// Job is a copy of the job id's state; false for one this server does
// not know (never started here, forgotten, or from before a restart).
func (js *Jobs) Job(id string) (Job, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.jobs[id]
	if !ok {
		return Job{}, false
	}
	return *j, true
}

// Recent lists the jobs this server remembers, newest first.
func (js *Jobs) Recent() []Job {
	js.mu.Lock()
	defer js.mu.Unlock()
	out := make([]Job, 0, len(js.order))
	for i := len(js.order) - 1; i >= 0; i-- {
		if j, ok := js.jobs[js.order[i]]; ok {
			out = append(out, *j)
		}
	}
	return out
}

// Wait returns when no import runs any more; after ctx ends, that is once
// a running import's transaction has rolled back.
func (js *Jobs) Wait() { js.wg.Wait() }
