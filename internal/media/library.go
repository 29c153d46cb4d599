package media

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// Store records images; store.DB implements it. InTx joins every call
// made with its context into one transaction.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// CreateImage stores im and sets its ID.
	CreateImage(ctx context.Context, im *Image) error
	// ImageByKey finds an image by its key ("u/<id>"); ErrNotFound if none.
	ImageByKey(ctx context.Context, key string) (Image, error)
}

// Library saves uploads: it processes them, stores their variants and
// records them.
type Library struct {
	store  Store
	files  Storage
	limits Limits
	now    func() time.Time
	// mem holds a byte of the memory budget for each byte an upload
	// being decoded and resized may take at its peak (its weight).
	mem     *semaphore.Weighted
	waiting atomic.Int64 // uploads waiting for memory
	inUse   atomic.Int64 // weight held now
	peak    atomic.Int64 // most weight ever held at once
	// held, when set (by tests), runs with the weight just taken.
	held func(weight int64)
	// cleanupWait is the first wait before deleting again the files of a
	// failed save that the storage would not delete.
	cleanupWait time.Duration
	cleanup     cleanupQueue
}

// MaxWaiting bounds the uploads waiting for memory at once, each holding
// its file (up to MaxBytes); more are refused as busy at once.
const MaxWaiting = 8

// NewLibrary saves uploads within lim into files and records them in st.
// RunCleanup must run beside it for the files of failed saves that the
// storage would not delete at once to be deleted later.
func NewLibrary(st Store, files Storage, lim Limits) *Library {
	lim = lim.withDefaults()
	return &Library{store: st, files: files, limits: lim, now: time.Now,
		mem: semaphore.NewWeighted(lim.MemoryBudget), cleanupWait: time.Second,
		cleanup: cleanupQueue{wake: make(chan struct{}, 1)}}
}

// Reserve waits until n bytes of the memory budget are free and takes
// them, for work that must share the budget with image decoding; call
// release when done. Waits are served in turn, so a large one is not
// passed over for ever by smaller ones. It gives up with ctx's error
// when ctx ends, and with an *UploadError of kind ErrBusy after the
// wait limit or when MaxWaiting others are already waiting; n over the
// whole budget is ErrTooMuchMemory.
func (l *Library) Reserve(ctx context.Context, n int64) (release func(), err error) {
	if n > l.limits.MemoryBudget {
		return nil, refuse(ErrTooMuchMemory, "the work would take %s of memory; the limit is %s", sizeText(roundMB(n)), sizeText(l.limits.MemoryBudget))
	}
	if !l.mem.TryAcquire(n) {
		if l.waiting.Add(1) > MaxWaiting {
			l.waiting.Add(-1)
			return nil, busy()
		}
		wctx, cancel := context.WithTimeout(ctx, l.limits.MaxWait)
		err := l.mem.Acquire(wctx, n)
		cancel()
		l.waiting.Add(-1)
		if err != nil {
			if ctx.Err() != nil { // the client went away: nobody to answer
				return nil, fmt.Errorf("media: waiting for memory: %w", ctx.Err())
			}
			return nil, busy()
		}
	}
	in := l.inUse.Add(n)
	for p := l.peak.Load(); in > p && !l.peak.CompareAndSwap(p, in); p = l.peak.Load() {
	}
	if l.held != nil {
		l.held(n)
	}
	return func() {
		l.inUse.Add(-n)
		l.mem.Release(n)
	}, nil
}

// storeDown refuses an upload whose files the storage did not take; the
// underlying error stays in the chain, for the log.
func storeDown(err error) error {
	return &UploadError{Kind: ErrUnavailable, Msg: fmt.Sprintf("the image store is not answering, so the image was not saved; try again in %d seconds", int(RetryAfter/time.Second)), cause: err}
}

// removeAll deletes the files of a save that failed; those the storage
// cannot delete now are queued to be tried again (see RunCleanup).
func (l *Library) removeAll(ctx context.Context, keys []string) {
	var left []string
	for _, k := range keys {
		if l.files.Delete(ctx, k) != nil {
			left = append(left, k)
		}
	}
	if len(left) > 0 {
		l.queueCleanup(left)
	}
}

func busy() error {
	return refuse(ErrBusy, "the server is busy resizing other images; try again in %d seconds", int(RetryAfter/time.Second))
}

// process reads the upload and its header, then decodes and resizes it
// once the memory it takes is free; a slow upload holds none.
func (l *Library) process(ctx context.Context, r io.Reader) (Result, error) {
	data, err := readUpload(r, l.limits)
	if err != nil {
		return Result{}, err
	}
	up, err := inspect(data, l.limits)
	if err != nil {
		return Result{}, err
	}
	release, err := l.Reserve(ctx, up.weight)
	if err != nil {
		return Result{}, err
	}
	defer release()
	return up.run()
}

// Save processes the upload in r, stores every variant under
// "u/<id>/<width>.<ext>" with a new random id, and records the image as
// created by staffID. A refused upload is an *UploadError (see Process).
// If anything fails, no file is left stored.
func (l *Library) Save(ctx context.Context, staffID int64, r io.Reader) (Image, error) {
	return l.SaveRecorded(ctx, staffID, r, nil)
}

// SaveRecorded is Save that also runs record, when not nil, in the
// transaction that records the image: an audit entry is written with the
// image or neither is kept (and the files go too). The upload is
// processed before the transaction begins, so no lock is held meanwhile.
func (l *Library) SaveRecorded(ctx context.Context, staffID int64, r io.Reader, record func(ctx context.Context, im Image) error) (Image, error) {
	return l.SaveDetailed(ctx, staffID, r, Details{}, record)
}

// SaveDetailed is SaveRecorded for an image uploaded with its alt text,
// caption and credit, which are recorded with it.
func (l *Library) SaveDetailed(ctx context.Context, staffID int64, r io.Reader, d Details, record func(ctx context.Context, im Image) error) (Image, error) {
	res, err := l.process(ctx, r)
	if err != nil {
		return Image{}, err
	}
	im := Image{
		Key:         "u/" + newID(),
		Ext:         res.Ext,
		Width:       res.Width,
		Height:      res.Height,
		ContentType: res.ContentType,
		CreatedBy:   staffID,
		CreatedAt:   l.now().UTC().Truncate(time.Millisecond),
		Details:     d,
	}
	var written []string
	// The files go even when ctx was cancelled mid-save.
	cleanup := func() { l.removeAll(context.WithoutCancel(ctx), written) }
	for _, v := range res.Variants {
		key := im.VariantKey(v.Width)
		written = append(written, key) // a failed Put may still leave a file behind
		if err := l.files.Put(ctx, key, bytes.NewReader(v.Data)); err != nil {
			cleanup()
			if errors.Is(err, ErrUnavailable) {
				return Image{}, storeDown(err)
			}
			return Image{}, fmt.Errorf("media: save: %w", err)
		}
		im.Widths = append(im.Widths, v.Width)
		im.Bytes += int64(len(v.Data))
	}
	err = l.store.InTx(ctx, func(ctx context.Context) error {
		if err := l.store.CreateImage(ctx, &im); err != nil {
			return err
		}
		if record != nil {
			return record(ctx, im)
		}
		return nil
	})
	if err != nil {
		cleanup()
		return Image{}, fmt.Errorf("media: save: %w", err)
	}
	return im, nil
}

// ImageByURL finds the image one of whose variants is at u (see
// ParseURL); ErrNotFound if u is not such an address or names no image.
func (l *Library) ImageByURL(ctx context.Context, u string) (Image, error) {
	key, w, ext, ok := ParseURL(u)
	if !ok {
		return Image{}, fmt.Errorf("media: %q is not an uploaded image's address: %w", u, ErrNotFound)
	}
	im, err := l.store.ImageByKey(ctx, key)
	if err != nil {
		return Image{}, err
	}
	if im.Ext != ext || !slices.Contains(im.Widths, w) {
		return Image{}, fmt.Errorf("media: image %s has no %d px %s variant: %w", key, w, ext, ErrNotFound)
	}
	return im, nil
}

// IsUploadError reports whether err is a refused upload, whose message
// can be shown to the person who sent it.
func IsUploadError(err error) bool {
	var ue *UploadError
	return errors.As(err, &ue)
}

// newID is 24 random lower-case hex digits.
func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // never fails, per crypto/rand
	return hex.EncodeToString(b)
}
