package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"broadsheet/internal/media/s3test"
)

// s3Storage is S3 on a gateway of its own, in bucket "media" under
// prefix "site".
func s3Storage(t *testing.T) (*S3, *s3test.Gateway) {
	t.Helper()
	gw := s3test.Start(t)
	gw.MakeBucket(t, "media")
	s, err := NewS3(context.Background(), gatewayConfig(gw))
	if err != nil {
		t.Fatal(err)
	}
	return s, gw
}

func gatewayConfig(gw *s3test.Gateway) S3Config {
	return S3Config{Endpoint: gw.Endpoint, Bucket: "media", Prefix: "site", AccessKey: gw.AccessKey, SecretKey: gw.SecretKey}
}

// eachStorage runs the contract test on a folder and on an S3 bucket.
func eachStorage(t *testing.T, test func(t *testing.T, st Storage)) {
	t.Run("LocalDisk", func(t *testing.T) { test(t, NewLocalDisk(t.TempDir())) })
	t.Run("S3", func(t *testing.T) {
		s, _ := s3Storage(t)
		test(t, s)
	})
}

func readAll(t *testing.T, st Storage, key string) (string, time.Time) {
	t.Helper()
	f, mod, err := st.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return string(b), mod
}

// The Storage contract, which Library and the /media/ handler rely on,
// holds for every backend alike.
func TestStorage_contract(t *testing.T) {
	eachStorage(t, func(t *testing.T, st Storage) {
		ctx := context.Background()
		if err := st.Put(ctx, "u/ab/320.jpg", strings.NewReader("first version")); err != nil {
			t.Fatal(err)
		}
		if err := st.Put(ctx, "u/ab/320.jpg", bytes.NewReader([]byte("second version"))); err != nil {
			t.Fatal(err)
		}
		if got, mod := readAll(t, st, "u/ab/320.jpg"); got != "second version" || mod.IsZero() {
			t.Errorf("after replacing: got %q at %v, want %q and a time", got, mod, "second version")
		}

		// Seeking, as http.ServeContent does for a Range: to the end for
		// the size, then to the range's start.
		f, _, err := st.Open(ctx, "u/ab/320.jpg")
		if err != nil {
			t.Fatal(err)
		}
		if n, err := f.Seek(0, io.SeekEnd); err != nil || n != int64(len("second version")) {
			t.Errorf("Seek to end: got %d, %v; want %d", n, err, len("second version"))
		}
		if _, err := f.Seek(7, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		rest, err := io.ReadAll(f)
		f.Close()
		if string(rest) != "version" || err != nil {
			t.Errorf("read from offset 7: got %q, %v; want %q", rest, err, "version")
		}

		if _, _, err := st.Open(ctx, "u/ab/640.jpg"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open of a missing key: got %v, want fs.ErrNotExist", err)
		}
		if _, _, err := st.Open(ctx, "u/ab"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open of a key's folder: got %v, want fs.ErrNotExist", err)
		}

		// A Put whose reader fails stores nothing, not even part.
		if err := st.Put(ctx, "u/cd/320.jpg", io.MultiReader(strings.NewReader("half"), failingReader{})); err == nil {
			t.Error("Put from a failing reader: got no error")
		}
		if _, _, err := st.Open(ctx, "u/cd/320.jpg"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("after a failed Put: Open got %v, want fs.ErrNotExist", err)
		}

		for _, k := range []string{"../x", "/etc/passwd", "u//x", "U/X.jpg", "u/.hidden"} {
			if err := st.Put(ctx, k, strings.NewReader("x")); !errors.Is(err, ErrBadKey) {
				t.Errorf("Put(%q): got %v, want ErrBadKey", k, err)
			}
			if _, _, err := st.Open(ctx, k); !errors.Is(err, ErrBadKey) {
				t.Errorf("Open(%q): got %v, want ErrBadKey", k, err)
			}
			if err := st.Delete(ctx, k); !errors.Is(err, ErrBadKey) {
				t.Errorf("Delete(%q): got %v, want ErrBadKey", k, err)
			}
		}

		if err := st.Delete(ctx, "u/ab/320.jpg"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.Open(ctx, "u/ab/320.jpg"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open after Delete: got %v, want fs.ErrNotExist", err)
		}
		if err := st.Delete(ctx, "u/ab/320.jpg"); err != nil {
			t.Errorf("Delete of a missing key: got %v, want nil", err)
		}
	})
}

// Objects land under the prefix, with their content type and an ETag.
func TestS3_prefixContentTypeAndETag(t *testing.T) {
	s, gw := s3Storage(t)
	ctx := context.Background()
	if err := s.Put(ctx, "u/ab/320.jpg", strings.NewReader("jpeg bytes")); err != nil {
		t.Fatal(err)
	}
	if got := gw.Objects(t, "media", ""); !slices.Equal(got, []string{"site/u/ab/320.jpg"}) {
		t.Errorf("objects in the bucket: got %v, want [site/u/ab/320.jpg]", got)
	}
	info, err := gw.Client(t).StatObject(ctx, "media", "site/u/ab/320.jpg", minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if info.ContentType != "image/jpeg" {
		t.Errorf("content type: got %q, want image/jpeg", info.ContentType)
	}
	f, _, err := s.Open(ctx, "u/ab/320.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tagged, ok := f.(interface{ ETag() string })
	if !ok || tagged.ETag() == "" || tagged.ETag() != info.ETag {
		t.Errorf("ETag: got %v (has method: %v), want %q", tagged, ok, info.ETag)
	}
}

// The gateway checks signatures: a wrong secret is refused at start with
// a message naming the keys, and every request signed with it is
// refused, as a fault rather than as an outage.
func TestS3_wrongSecretIsRefused(t *testing.T) {
	gw := s3test.Start(t)
	gw.MakeBucket(t, "media")
	ctx := context.Background()
	c := gatewayConfig(gw)
	c.SecretKey = strings.Repeat("x", len(c.SecretKey))
	_, err := NewS3(ctx, c)
	if err == nil || !strings.Contains(err.Error(), "BROADSHEET_S3_SECRET_KEY") || errors.Is(err, ErrUnavailable) {
		t.Fatalf("NewS3 with a wrong secret: got %v, want a refusal naming the keys", err)
	}
	if strings.Contains(err.Error(), c.SecretKey) {
		t.Errorf("the error quotes the secret: %v", err)
	}
	s, err := newS3(c) // as if the secret changed after start
	if err != nil {
		t.Fatal(err)
	}
	err = s.Put(ctx, "u/ab/320.jpg", strings.NewReader("x"))
	if err == nil || errors.Is(err, ErrUnavailable) {
		t.Errorf("Put signed with a wrong secret: got %v, want a refusal", err)
	}
	if got := gw.Objects(t, "media", ""); len(got) != 0 {
		t.Errorf("stored with a wrong secret: %v", got)
	}
	if _, _, err := s.Open(ctx, "u/ab/320.jpg"); err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open signed with a wrong secret: got %v, want a refusal", err)
	}
}

func TestNewS3_saysWhatIsWrong(t *testing.T) {
	gw := s3test.Start(t)
	ctx := context.Background()
	c := gatewayConfig(gw)
	if _, err := NewS3(ctx, c); err == nil || !strings.Contains(err.Error(), `bucket "media" does not exist`) {
		t.Errorf("missing bucket: got %v", err)
	}
	for _, ep := range []string{"127.0.0.1:7070", "ftp://host", "http://host/path", "http://"} {
		c := c
		c.Endpoint = ep
		if _, err := NewS3(ctx, c); err == nil || !strings.Contains(err.Error(), "want an origin") {
			t.Errorf("endpoint %q: got %v", ep, err)
		}
	}
	gw.MakeBucket(t, "media")
	gw.Stop()
	s, err := NewS3(ctx, c)
	if !errors.Is(err, ErrUnavailable) || s == nil {
		t.Errorf("stopped gateway: got %v, %v; want ErrUnavailable and a usable S3", s, err)
	}
}

// A stopped gateway is ErrUnavailable for every call, and calls work
// again once it is back.
func TestS3_stoppedGatewayIsUnavailable(t *testing.T) {
	s, gw := s3Storage(t)
	ctx := context.Background()
	if err := s.Put(ctx, "u/ab/320.jpg", strings.NewReader("kept")); err != nil {
		t.Fatal(err)
	}
	gw.Stop()
	if err := s.Put(ctx, "u/cd/320.jpg", strings.NewReader("x")); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Put: got %v, want ErrUnavailable", err)
	}
	if _, _, err := s.Open(ctx, "u/ab/320.jpg"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Open: got %v, want ErrUnavailable", err)
	}
	if err := s.Delete(ctx, "u/ab/320.jpg"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Delete: got %v, want ErrUnavailable", err)
	}
	gw.Restart(t)
	if got, _ := readAll(t, s, "u/ab/320.jpg"); got != "kept" {
		t.Errorf("after the restart: got %q, want %q", got, "kept")
	}
	if got := gw.Objects(t, "media", "site/u/cd"); len(got) != 0 {
		t.Errorf("the refused Put stored %v", got)
	}
}

// A gateway that takes connections but never answers costs a call its
// timeout, not more.
func TestS3_silentGatewayTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	s, err := newS3(S3Config{Endpoint: "http://" + ln.Addr().String(), Bucket: "media", AccessKey: "a", SecretKey: "b", Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := s.Open(context.Background(), "u/ab/320.jpg")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("Open: got %v, want ErrUnavailable", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Open still waiting after 30 s with a 200 ms timeout")
	}
	if err := s.Put(context.Background(), "u/ab/320.jpg", strings.NewReader("x")); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Put: got %v, want ErrUnavailable", err)
	}
}

// stopAfterPuts is Storage that stops the gateway once n Puts went
// through: the gateway dies in the middle of a save.
type stopAfterPuts struct {
	Storage
	gw      *s3test.Gateway
	n, puts int
}

func (s *stopAfterPuts) Put(ctx context.Context, key string, r io.Reader) error {
	err := s.Storage.Put(ctx, key, r)
	if s.puts++; s.puts == s.n {
		s.gw.Stop()
	}
	return err
}

// A save whose gateway dies after the first variant is refused as
// unavailable, records nothing, and once the gateway is back the variant
// already written is deleted: no object is left of an image that was
// never recorded.
func TestLibrarySave_gatewayDyingMidSaveLeavesNothing(t *testing.T) {
	s, gw := s3Storage(t)
	st := &memStore{}
	lib := NewLibrary(st, &stopAfterPuts{Storage: s, gw: gw, n: 1}, Limits{})
	lib.cleanupWait = 50 * time.Millisecond
	runCleanup(t, lib)
	_, err := lib.Save(context.Background(), 7, bytes.NewReader(jpegBytes(t, 1000, 500)))
	var ue *UploadError
	if !errors.As(err, &ue) || !errors.Is(err, ErrUnavailable) || !strings.Contains(ue.Msg, "not answering") {
		t.Fatalf("got %v, want an upload refused as unavailable", err)
	}
	if len(st.images) != 0 {
		t.Errorf("recorded %v", st.images)
	}
	gw.Restart(t)
	left := gw.Objects(t, "media", "")
	for deadline := time.Now().Add(30 * time.Second); len(left) > 0 && time.Now().Before(deadline); left = gw.Objects(t, "media", "") {
		time.Sleep(50 * time.Millisecond)
	}
	if len(left) != 0 {
		t.Errorf("objects left 30 s after the gateway came back: %v", left)
	}
}

// An upload through S3 stores every variant in the bucket, readable
// through another S3 client of the same bucket.
func TestLibrarySave_toS3(t *testing.T) {
	s, gw := s3Storage(t)
	other, err := NewS3(context.Background(), gatewayConfig(gw))
	if err != nil {
		t.Fatal(err)
	}
	lib := NewLibrary(&memStore{}, s, Limits{})
	im, err := lib.Save(context.Background(), 7, bytes.NewReader(jpegBytes(t, 1000, 500)))
	if err != nil {
		t.Fatal(err)
	}
	if got := gw.Objects(t, "media", "site/"+im.Key+"/"); len(got) != len(im.Widths) || len(got) < 2 {
		t.Errorf("objects %v for widths %v", got, im.Widths)
	}
	for _, w := range im.Widths {
		if got, _ := readAll(t, other, im.VariantKey(w)); !strings.HasPrefix(got, "\xff\xd8") {
			t.Errorf("variant %d is not a JPEG: %q…", w, got[:min(8, len(got))])
		}
	}
}

// BenchmarkStorage_open reads a 200 KB image whole, as the /media/
// handler does for a cache in front: from a folder and from a bucket on
// a local gateway (a HEAD, then a GET).
func BenchmarkStorage_open(b *testing.B) {
	data := bytes.Repeat([]byte("0123456789"), 20<<10)
	gw := s3test.Start(b)
	gw.MakeBucket(b, "media")
	s3, err := NewS3(context.Background(), gatewayConfig(gw))
	if err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct {
		name string
		st   Storage
	}{{"LocalDisk", NewLocalDisk(b.TempDir())}, {"S3", s3}} {
		b.Run(bb.name, func(b *testing.B) {
			ctx := context.Background()
			if err := bb.st.Put(ctx, "u/ab/640.jpg", bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				f, _, err := bb.st.Open(ctx, "u/ab/640.jpg")
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, f)
				f.Close()
				if err != nil || n != int64(len(data)) {
					b.Fatalf("read %d bytes, %v", n, err)
				}
			}
		})
	}
}
