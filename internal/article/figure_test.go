package article

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// uploads resolves the addresses it holds as the media library does, and
// counts the questions it is asked.
type uploads struct {
	srcsets map[string]string
	asked   int
	err     error
}

func (u *uploads) ResolveImage(_ context.Context, url string) (string, int, int, bool, error) {
	u.asked++
	if u.err != nil {
		return "", 0, 0, false, u.err
	}
	s, ok := u.srcsets[url]
	if !ok {
		return "", 0, 0, false, nil
	}
	return s, 1600, 1067, true, nil
}

const uploadSrcset = "/media/u/0a1b2c/320.jpg 320w, /media/u/0a1b2c/960.jpg 960w, /media/u/0a1b2c/1600.jpg 1600w"

func TestRenderMarkdownWith_fillsSrcsetOfUploadsOnly(t *testing.T) {
	lib := &uploads{srcsets: map[string]string{"/media/u/0a1b2c/1600.jpg": uploadSrcset}}
	src := "![Harbour](/media/u/0a1b2c/1600.jpg \"Caption | Credit\")\n\n" +
		"![Elsewhere](https://pictures.example/pier.jpg \"Caption\")\n\n" +
		"![Unknown upload](/media/u/ffff/1600.jpg)\n\n" +
		"Inline ![Harbour](/media/u/0a1b2c/1600.jpg) in a sentence.\n\n" +
		"![Harbour again](/media/u/0a1b2c/1600.jpg)\n"
	got, err := RenderMarkdownWith(context.Background(), src, lib)
	if err != nil {
		t.Fatal(err)
	}
	want := `<figure class="article-figure"><img src="/media/u/0a1b2c/1600.jpg" alt="Harbour" srcset="` + uploadSrcset +
		`" sizes="(min-width: 50em) 42em, 100vw" width="1600" height="1067" loading="lazy" decoding="async"><figcaption><span class="caption">Caption</span><span class="visually-hidden">. </span><span class="credit">Credit</span></figcaption></figure>`
	if !strings.Contains(got, want) {
		t.Errorf("the uploaded figure:\ngot  %s\nwant %s", got, want)
	}
	for _, other := range []string{"https://pictures.example/pier.jpg", "/media/u/ffff/1600.jpg"} {
		i := strings.Index(got, `src="`+other+`"`)
		tag := got[i : i+strings.Index(got[i:], ">")]
		if strings.Contains(tag, "srcset") || strings.Contains(tag, " width=") {
			t.Errorf("%s is no known upload but got %s", other, tag)
		}
	}
	if strings.Count(got, "srcset=") != 2 {
		t.Errorf("want srcset on the two figures of the upload only (not the inline image):\n%s", got)
	}
	if lib.asked != 3 {
		t.Errorf("the library was asked %d times, want once for each of the 3 figure addresses", lib.asked)
	}
	if plain, err := RenderMarkdown(src); err != nil || strings.Contains(plain, "srcset") {
		t.Errorf("without a resolver: %v, %s", err, plain)
	}
}

// The sanitizer lets through a srcset of the media library's own copies
// only, whatever a resolver says.
func TestRenderMarkdownWith_dropsForeignSrcset(t *testing.T) {
	for _, bad := range []string{
		"https://evil.example/x.jpg 320w",
		"/media/u/0a1b2c/320.jpg 320w, javascript:alert(1) 640w",
		`/media/u/0a1b2c/320.jpg 320w" onerror="alert(1)`,
		"/media/u/../../etc/320.jpg 320w",
	} {
		lib := &uploads{srcsets: map[string]string{"/media/u/0a1b2c/1600.jpg": bad}}
		got, err := RenderMarkdownWith(context.Background(), "![Harbour](/media/u/0a1b2c/1600.jpg)", lib)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(got, "srcset") || unsafeMarkup(got) != "" {
			t.Errorf("srcset %q passed the sanitizer: %s", bad, got)
		}
	}
}

// A library that cannot answer fails the render: a save without the
// srcset would be stored for good.
func TestRenderMarkdownWith_libraryFailureIsAnError(t *testing.T) {
	down := errors.New("database not answering")
	_, err := RenderMarkdownWith(context.Background(), "![Harbour](/media/u/0a1b2c/1600.jpg)", &uploads{err: down})
	if !errors.Is(err, down) {
		t.Fatalf("got %v, want the library's error", err)
	}
	// The turn was given back: a render still works.
	if _, err := RenderMarkdown("text"); err != nil {
		t.Fatal(err)
	}
}

// However many figures a body has, the library is asked about at most
// maxFigureLookups addresses.
func TestRenderMarkdownWith_boundsLookups(t *testing.T) {
	var b strings.Builder
	for i := range maxFigureLookups + 50 {
		b.WriteString("![Photo](/media/u/" + strings.Repeat("a", 1+i%60) + "/" + strconv.Itoa(i+1) + ".jpg)\n\n")
	}
	lib := &uploads{}
	if _, err := RenderMarkdownWith(context.Background(), b.String(), lib); err != nil {
		t.Fatal(err)
	}
	if lib.asked != maxFigureLookups {
		t.Errorf("asked %d times, want %d", lib.asked, maxFigureLookups)
	}
}
