package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"broadsheet/internal/redirect"
	"broadsheet/internal/store/storetest"
)

// TestReader_importedAddressWinsOverSlugFix: another paper's article
// address, imported with its archive, names an id that is a different
// article here. The import's redirect answers it; a wrong slug with no
// redirect is still corrected to the article's own address.
func TestReader_importedAddressWinsOverSlugFix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ctx := context.Background()
		here, err := ts.db.Article(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		there, err := ts.db.Article(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, from := range []string{"/article/1/the-old-papers-slug", "/article/1"} {
			r := redirect.Redirect{From: from, To: there.URL(), Source: "wordpress", CreatedAt: time.Now()}
			if err := r.Normalize(); err != nil {
				t.Fatal(err)
			}
			if err := ts.db.SaveRedirect(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		for path, want := range map[string]string{
			"/article/1/the-old-papers-slug":        there.URL(),
			"/article/1":                            there.URL(),
			"/article/1/some-other-slug":            here.URL(),
			"/article/1/the-old-papers-slug?utm=x":  there.URL() + "?utm=x",
			"/article/2/" + there.Slug + "-changed": there.URL(),
		} {
			res, _ := ts.get(t, path)
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
				t.Errorf("GET %s: %d to %q, want 301 to %q", path, res.StatusCode, res.Header.Get("Location"), want)
			}
		}
		if res, _ := ts.get(t, here.URL()); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", here.URL(), res.StatusCode)
		}
	})
}

// TestReader_storedRedirectOffTheSiteIsNotFollowed: every door refuses
// a redirect to another site, and one in the table anyway (written by
// hand into the database) is answered as the 404 it stands in for,
// never as a 301 off the site.
func TestReader_storedRedirectOffTheSiteIsNotFollowed(t *testing.T) {
	e := storetest.Engines(t)[0]
	ts := newTestServer(t, e)
	ctx := context.Background()
	for from, to := range map[string]string{"/old-a": "//evil.example/x", "/old-b": "/\\evil.example", "/old-c": "https://evil.example/"} {
		if err := ts.db.SaveRedirect(ctx, redirect.Redirect{From: from, To: to, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		res, _ := ts.get(t, from)
		if res.StatusCode != http.StatusNotFound || res.Header.Get("Location") != "" {
			t.Errorf("GET %s with a stored redirect to %s: %d to %q, want a 404 and no Location", from, to, res.StatusCode, res.Header.Get("Location"))
		}
	}
}
