package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/config"
	"broadsheet/internal/media/s3test"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// withMediaIn keeps the media in bucket on gw, under the prefix "paper".
func withMediaIn(gw *s3test.Gateway, bucket string) option {
	return func(c *config.Config) {
		c.Media, c.MediaDir = "", ""
		c.MediaS3 = &config.S3{Endpoint: gw.Endpoint, Bucket: bucket, Prefix: "paper", AccessKey: gw.AccessKey,
			SecretKey: gw.SecretKey, Region: "us-east-1", Timeout: 3 * time.Second}
	}
}

// anotherInstance is a second Broadsheet instance on ts's database (a
// connection pool of its own), configured by opts, served over HTTP.
func anotherInstance(t *testing.T, ts *testServer, opts ...option) *httptest.Server {
	t.Helper()
	db, err := store.Open(context.Background(), ts.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DB: "unused", BaseURL: "http://paper.test",
		PageCache: true, CacheMB: 16, LogFormat: "json", LogLevel: "error"}
	for _, o := range opts {
		o(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := startServer(t, cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(hs.Close)
	return hs
}

func fetch(t *testing.T, method, u string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return roundTrip(t, req, header...)
}

// mediaInstances are three instances on one database and one bucket:
// the first with staff signed in.
func mediaInstances(t *testing.T, e storetest.Engine) (*testServer, *staffBrowser, []*httptest.Server, *s3test.Gateway) {
	t.Helper()
	gw := s3test.Start(t)
	gw.MakeBucket(t, "paper-media")
	a := staffTestServer(t, e, withMediaIn(gw, "paper-media"))
	b := anotherInstance(t, a, withMediaIn(gw, "paper-media"))
	c := anotherInstance(t, a, withMediaIn(gw, "paper-media"))
	return a, a.signIn(t, "editor@paper.example"), []*httptest.Server{a.Server, b, c}, gw
}

// harbourAlt describes the photo the tests upload: 1000×625, three
// variants, enough to see each stored and served; larger ones only cost
// resizing time under the race detector.
var harbourAlt = map[string]string{"alt": "Fishing boats at the harbour wall before sunrise"}

// draftWithImage creates a draft headlined headline through editor and
// uploads a photo to it, failing the test if the upload is refused.
func draftWithImage(t *testing.T, editor *staffBrowser, headline string) int64 {
	t.Helper()
	id := editor.createArticle(t, articleForm(headline))
	if res, body := editor.uploadImage(t, id, 1, "IMG_0001.JPG", testJPEG(t, 1000, 625), harbourAlt); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", res.StatusCode, body)
	}
	return id
}

// An image uploaded through one instance is served by the others, from
// the bucket they share, with the headers a cache in front needs:
// immutable for a year, an ETag and Last-Modified for revalidation, and
// ranges.
func TestMediaS3_uploadOnOneInstanceServedByAll(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		a, editor, all, gw := mediaInstances(t, e)
		ctx := context.Background()
		draftWithImage(t, editor, "Harbour at dawn")
		list, err := a.db.Images(ctx, 10, 0)
		if err != nil || len(list) != 1 {
			t.Fatalf("images recorded: %v, %v; want one", list, err)
		}
		im := list[0]
		var want []string
		for _, w := range im.Widths {
			want = append(want, "paper/"+im.VariantKey(w))
		}
		slices.Sort(want)
		if got := gw.Objects(t, "paper-media", ""); !slices.Equal(got, want) || len(want) < 2 {
			t.Errorf("objects in the bucket: got %v, want %v", got, want)
		}
		var first []byte
		for i, inst := range all {
			for _, w := range im.Widths {
				u := inst.URL + im.VariantURL(w)
				res, body := fetch(t, "GET", u)
				if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" ||
					res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || len(body) == 0 {
					t.Fatalf("instance %d, GET %s: %d %q %q, %d bytes", i, im.VariantURL(w), res.StatusCode,
						res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"), len(body))
				}
				if w == im.Widths[0] {
					if first == nil {
						first = body
					} else if !bytes.Equal(body, first) {
						t.Errorf("instance %d serves other bytes for %s", i, im.VariantURL(w))
					}
				}
				etag, lm := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
				if etag == "" || lm == "" {
					t.Fatalf("instance %d, %s: ETag %q, Last-Modified %q; want both", i, im.VariantURL(w), etag, lm)
				}
				if r, b := fetch(t, "GET", u, "If-None-Match", etag); r.StatusCode != http.StatusNotModified || len(b) != 0 {
					t.Errorf("instance %d, If-None-Match: %d, %d bytes; want 304", i, r.StatusCode, len(b))
				}
				if r, _ := fetch(t, "GET", u, "If-Modified-Since", lm); r.StatusCode != http.StatusNotModified {
					t.Errorf("instance %d, If-Modified-Since: %d; want 304", i, r.StatusCode)
				}
				if r, b := fetch(t, "GET", u, "Range", "bytes=2-11"); r.StatusCode != http.StatusPartialContent || !bytes.Equal(b, body[2:12]) {
					t.Errorf("instance %d, Range: %d, %q; want 206 and bytes 2-11", i, r.StatusCode, b)
				}
				if r, b := fetch(t, "HEAD", u); r.StatusCode != 200 || len(b) != 0 || r.Header.Get("Content-Length") != fmt.Sprint(len(body)) {
					t.Errorf("instance %d, HEAD: %d, %d bytes, Content-Length %q", i, r.StatusCode, len(b), r.Header.Get("Content-Length"))
				}
			}
			missing := strings.Replace(im.VariantURL(im.Widths[0]), fmt.Sprintf("/%d.", im.Widths[0]), "/7.", 1)
			if r, _ := fetch(t, "GET", inst.URL+missing); r.StatusCode != http.StatusNotFound {
				t.Errorf("instance %d, a missing image: %d, want 404", i, r.StatusCode)
			}
		}
	})
}

// With the gateway stopped, an upload is refused with 503 and a message
// saying why, nothing is stored (no image, no object once the gateway is
// back), images answer 503 with Retry-After, and reader pages are served
// as ever. Once the gateway is back, uploads work again.
func TestMediaS3_gatewayDown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		a, editor, all, gw := mediaInstances(t, e)
		ctx := context.Background()
		id := draftWithImage(t, editor, "Harbour at dawn")
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		art, _ := a.db.Article(ctx, id)
		before := gw.Objects(t, "paper-media", "")

		gw.Stop()
		other := editor.createArticle(t, articleForm("Harbour at dusk"))
		res, body := editor.uploadImage(t, other, 1, "IMG_0002.JPG", testJPEG(t, 1000, 625), harbourAlt)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
			!strings.Contains(body, "image store is not answering") {
			t.Errorf("upload with the gateway stopped: %d, Retry-After %q; want 503 saying the image store is not answering\n%s",
				res.StatusCode, res.Header.Get("Retry-After"), body)
		}
		if res, body := editor.uploadImage(t, other, 1, "IMG_0002.JPG", testJPEG(t, 1000, 625), harbourAlt, "Accept-Language", "ko-KR,ko;q=0.9"); res.StatusCode != http.StatusServiceUnavailable ||
			!strings.Contains(body, "이미지 저장소가 응답하지 않아") {
			t.Errorf("upload in Korean with the gateway stopped: %d; want 503 saying so in Korean\n%s", res.StatusCode, body)
		}
		if list, _ := a.db.Images(ctx, 10, 0); len(list) != 1 {
			t.Errorf("%d images recorded, want only the first", len(list))
		}
		if got, _ := a.db.Article(ctx, other); got.LeadImage.URL != "" || got.Version != 1 {
			t.Errorf("the refused upload changed the article: %+v (v%d)", got.LeadImage, got.Version)
		}
		for i, inst := range all {
			for _, p := range []string{"/", art.URL()} {
				if r, _ := fetch(t, "GET", inst.URL+p); r.StatusCode != 200 {
					t.Errorf("instance %d, reader page %s with the gateway stopped: %d", i, p, r.StatusCode)
				}
			}
			r, b := fetch(t, "GET", inst.URL+art.LeadImage.URL)
			if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" || r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("instance %d, image with the gateway stopped: %d, Retry-After %q, Cache-Control %q; want 503, a Retry-After, no-store\n%s",
					i, r.StatusCode, r.Header.Get("Retry-After"), r.Header.Get("Cache-Control"), b)
			}
		}

		gw.Restart(t)
		if got := gw.Objects(t, "paper-media", ""); !slices.Equal(got, before) {
			t.Errorf("objects after the gateway came back: got %v, want only the first upload's %v", got, before)
		}
		if r, _ := fetch(t, "GET", all[2].URL+art.LeadImage.URL); r.StatusCode != 200 {
			t.Errorf("image once the gateway is back: %d", r.StatusCode)
		}
		if res, body := editor.uploadImage(t, other, 1, "IMG_0002.JPG", testJPEG(t, 1000, 625), harbourAlt); res.StatusCode != http.StatusSeeOther {
			t.Errorf("upload once the gateway is back: %d\n%s", res.StatusCode, body)
		}
	})
}

// A wrong secret, a missing bucket or a bad --media stop the start with
// a message saying what is wrong.
func TestMediaS3_startRefusesAMistake(t *testing.T) {
	t.Parallel() // a gateway and a database of its own
	gw := s3test.Start(t)
	gw.MakeBucket(t, "paper-media")
	e := storetest.Engines(t)[0] // SQLite
	ts := newTestServer(t, e)
	for _, tt := range []struct {
		name string
		set  func(*config.S3)
		want string
	}{
		{"wrong secret", func(s *config.S3) { s.SecretKey = "not-the-secret" }, "refused the access key and secret"},
		{"missing bucket", func(s *config.S3) { s.Bucket = "no-such-bucket" }, `bucket "no-such-bucket" does not exist`},
	} {
		cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DB: "unused", CacheMB: 16, LogFormat: "json", LogLevel: "error"}
		withMediaIn(gw, "paper-media")(cfg)
		tt.set(cfg.MediaS3)
		_, err := startServer(t, cfg, ts.db)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error saying %q", tt.name, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), cfg.MediaS3.SecretKey) {
			t.Errorf("%s: the error quotes the secret: %v", tt.name, err)
		}
	}
}
