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
	"time"
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
	busy   chan struct{} // one token per upload being processed
}

// MaxProcessing is how many uploads one Library decodes and resizes at
// once; each may take a few hundred megabytes. Others wait their turn.
const MaxProcessing = 2

// NewLibrary saves uploads within lim into files and records them in st.
func NewLibrary(st Store, files Storage, lim Limits) *Library {
	return &Library{store: st, files: files, limits: lim.withDefaults(), now: time.Now,
		busy: make(chan struct{}, MaxProcessing)}
}

// process reads the upload, then runs Process when a turn is free or
// gives up with ctx; a slow upload does not hold a turn.
func (l *Library) process(ctx context.Context, r io.Reader) (Result, error) {
	data, err := readUpload(r, l.limits)
	if err != nil {
		return Result{}, err
	}
	select {
	case l.busy <- struct{}{}:
	case <-ctx.Done():
		return Result{}, fmt.Errorf("media: save: waiting for a turn: %w", ctx.Err())
	}
	defer func() { <-l.busy }()
	return processData(data, l.limits)
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
	}
	var written []string
	cleanup := func() {
		// The files go even when ctx was cancelled mid-save.
		ctx := context.WithoutCancel(ctx)
		for _, k := range written {
			_ = l.files.Delete(ctx, k)
		}
	}
	for _, v := range res.Variants {
		key := im.VariantKey(v.Width)
		written = append(written, key) // a failed Put may still leave a file behind
		if err := l.files.Put(ctx, key, bytes.NewReader(v.Data)); err != nil {
			cleanup()
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
