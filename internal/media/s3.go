package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// ErrUnavailable means the storage did not answer in time, or answered
// that it cannot serve now (a 5xx): worth trying again later, unlike a
// refusal such as a wrong key.
var ErrUnavailable = errors.New("media: the image store is not answering")

// S3Config is where an S3 bucket is and how to sign requests to it.
type S3Config struct {
	// Endpoint is the gateway's origin, "https://s3.eu-west-1.amazonaws.com"
	// or "http://127.0.0.1:7070". The bucket goes in the path
	// (path-style addressing), which every S3-compatible gateway accepts.
	Endpoint  string
	Bucket    string
	Prefix    string // put before every key, without a trailing slash; may be ""
	AccessKey string
	SecretKey string
	Region    string // "" is us-east-1
	// Timeout bounds each exchange with the gateway until it answers; 0
	// means DefaultS3Timeout.
	Timeout time.Duration
}

// DefaultS3Timeout bounds a call to the gateway: a healthy one answers
// in milliseconds, so a request waiting longer is one the gateway is
// not going to answer.
const DefaultS3Timeout = 10 * time.Second

// maxS3Put bounds what Put buffers from a reader of unknown length; the
// variants the library stores are a few MB at most.
const maxS3Put = 64 << 20

// S3 is Storage in an S3 bucket: key "u/x/640.jpg" is the object
// <prefix>/u/x/640.jpg. Several instances sharing one bucket see each
// other's uploads at once. Each object is written by one PUT, which S3
// applies whole or not at all.
type S3 struct {
	client  *minio.Client
	bucket  string
	prefix  string
	timeout time.Duration
}

// NewS3 connects to the bucket and checks it is there and that the keys
// are accepted. A gateway that does not answer is not an error here
// (instances may start before it): the returned error then wraps
// ErrUnavailable alongside a usable *S3, so the caller may warn and go
// on. A missing bucket or refused keys return a nil *S3.
func NewS3(ctx context.Context, c S3Config) (*S3, error) {
	s, err := newS3(c)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	ok, err := s.client.BucketExists(ctx, s.bucket)
	switch {
	case err != nil && errors.Is(s.classify(err), ErrUnavailable):
		return s, fmt.Errorf("media: checking bucket %q at %s: %w", s.bucket, c.Endpoint, s.classify(err))
	case err != nil:
		return nil, fmt.Errorf("media: bucket %q at %s refused the access key and secret (%s): check BROADSHEET_S3_ACCESS_KEY and BROADSHEET_S3_SECRET_KEY", s.bucket, c.Endpoint, s3Text(err))
	case !ok:
		return nil, fmt.Errorf("media: bucket %q does not exist at %s: create it first", s.bucket, c.Endpoint)
	}
	return s, nil
}

// newS3 builds the client without asking the gateway anything.
func newS3(c S3Config) (*S3, error) {
	u, err := url.Parse(c.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("media: S3 endpoint %q: want an origin such as https://s3.eu-west-1.amazonaws.com", c.Endpoint)
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultS3Timeout
	}
	region := c.Region
	if region == "" {
		region = "us-east-1"
	}
	// Bounded dials and waits for headers: a gateway that stops answering
	// costs a request at most timeout, never the client's patience.
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       30 * time.Second,
	}
	client, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure:       u.Scheme == "https",
		Transport:    tr,
		Region:       region, // set, so no request asks the bucket's location
		BucketLookup: minio.BucketLookupPath,
		// No retries: each would wait up to timeout again, and the reader
		// or editor is told to try again anyway (Retry-After).
		MaxRetries: 1,
	})
	if err != nil {
		return nil, fmt.Errorf("media: S3 client for %s: %w", c.Endpoint, err)
	}
	return &S3{client: client, bucket: c.Bucket, prefix: strings.Trim(c.Prefix, "/"), timeout: timeout}, nil
}

func (s *S3) object(key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	if s.prefix == "" {
		return key, nil
	}
	return s.prefix + "/" + key, nil
}

// Put uploads r as the object under key in one PUT, with its content
// type taken from the key's extension.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	size := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		size = int64(l.Len())
	} else {
		// A known length keeps it one PUT rather than a multipart upload.
		b, err := io.ReadAll(io.LimitReader(r, maxS3Put+1))
		if err != nil {
			return fmt.Errorf("media: put %s: %w", key, err)
		}
		if len(b) > maxS3Put {
			return fmt.Errorf("media: put %s: over %d MiB", key, maxS3Put>>20)
		}
		r, size = bytes.NewReader(b), int64(len(b))
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	ct := mime.TypeByExtension(path.Ext(key))
	if ct == "" {
		ct = "application/octet-stream"
	}
	_, err = s.client.PutObject(ctx, s.bucket, name, r, size, minio.PutObjectOptions{ContentType: ct, DisableMultipart: true})
	if err != nil {
		return fmt.Errorf("media: put %s: %w", key, s.classify(err))
	}
	return nil
}

// Open asks for the object's size, time and ETag (a HEAD, bounded by
// the timeout) and returns a reader that fetches the bytes when first
// read, from the offset sought (a GET with a Range). The reader uses
// ctx for its whole life: give one that outlasts a slow client.
func (s *S3) Open(ctx context.Context, key string) (io.ReadSeekCloser, time.Time, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, time.Time{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	obj, err := s.client.GetObject(ctx, s.bucket, name, minio.GetObjectOptions{})
	if err != nil {
		cancel()
		return nil, time.Time{}, fmt.Errorf("media: open %s: %w", key, s.classify(err))
	}
	info, err := obj.Stat()
	if err != nil {
		_ = obj.Close()
		cancel()
		return nil, time.Time{}, fmt.Errorf("media: open %s: %w", key, s.classify(err))
	}
	return &s3Object{Object: obj, cancel: cancel, etag: info.ETag}, info.LastModified, nil
}

// s3Object is an open object; Close also ends its context.
type s3Object struct {
	*minio.Object
	cancel context.CancelFunc
	etag   string
}

// ETag is the object's entity tag as the gateway gave it, unquoted.
func (o *s3Object) ETag() string { return o.etag }

func (o *s3Object) Close() error {
	err := o.Object.Close()
	o.cancel()
	return err
}

// Delete removes the object under key; a missing one is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}); err != nil {
		if errors.Is(s.classify(err), fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("media: delete %s: %w", key, s.classify(err))
	}
	return nil
}

// classify turns the client's error into one the callers can act on: a
// missing object wraps fs.ErrNotExist; a gateway that did not answer,
// or answered 5xx, wraps ErrUnavailable; anything else (a refused
// signature, a missing bucket) is returned described, as a fault.
func (s *S3) classify(err error) error {
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == minio.NoSuchKey:
		return fmt.Errorf("%s: %w", s3Text(err), fs.ErrNotExist)
	case resp.StatusCode >= 500 || resp.Code == "SlowDown" || resp.Code == "ServiceUnavailable":
		return fmt.Errorf("%w: %s", ErrUnavailable, s3Text(err))
	case resp.StatusCode != 0:
		return errors.New(s3Text(err))
	case errors.Is(err, context.Canceled):
		return err // the caller went away: nobody to tell
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// s3Text names an S3 error by its code and message, which carry no
// secret (the gateway never echoes the secret key, only, at most, the
// access key's id).
func s3Text(err error) string {
	resp := minio.ToErrorResponse(err)
	if resp.StatusCode == 0 {
		return err.Error()
	}
	if resp.Code == "" {
		return fmt.Sprintf("HTTP %d", resp.StatusCode)
	}
	return fmt.Sprintf("HTTP %d %s: %s", resp.StatusCode, resp.Code, resp.Message)
}
