package server_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"broadsheet/internal/store/storetest"
)

// testJPEG is a w×h JPEG carrying an EXIF segment that names a camera and
// a place, as phones write them.
func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	// Straight into the pixels: img.Set, through an interface for each
	// pixel, is slow under the race detector.
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = uint8(x), uint8(y), 120, 255
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	exif := append([]byte("Exif\x00\x00"), []byte("MM\x00\x2a\x00\x00\x00\x08SECRETCAM GPS 37.5665N 126.9780E")...)
	seg := append([]byte{0xFF, 0xE1}, binary.BigEndian.AppendUint16(nil, uint16(len(exif)+2))...)
	seg = append(seg, exif...)
	b := buf.Bytes()
	return append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
}

// pngClaiming is a PNG whose header claims w×h pixels: decoding it would
// need w*h*4 bytes of memory.
func pngClaiming(w, h uint32) []byte {
	chunk := func(typ string, data []byte) []byte {
		out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		out = append(out, typ...)
		out = append(out, data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, w), h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	out := append([]byte("\x89PNG\r\n\x1a\n"), chunk("IHDR", ihdr)...)
	return append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x62, 0x00})...)
}

// uploadImage saves an article's editor form, as a browser sends it
// (multipart), with a file chosen in its lead-image field; fields are the
// lead image's alt, caption and credit (and csrf to forge it). The rest of
// the form is the article as it is.
func (b *staffBrowser) uploadImage(t *testing.T, id int64, version int, file string, data []byte, fields map[string]string, header ...string) (*http.Response, string) {
	t.Helper()
	form := url.Values{"csrf": {b.csrf}}
	if a, err := b.ts.db.Article(context.Background(), id); err == nil {
		form = articleValues(t, b.ts, a)
		form.Set("csrf", b.csrf)
	}
	form.Set("version", fmt.Sprint(version))
	names := map[string]string{"alt": "image_alt", "caption": "image_caption", "credit": "image_credit"}
	for k, v := range fields {
		if n, ok := names[k]; ok {
			k = n
		}
		form.Set(k, v)
	}
	return b.postMultipart(t, fmt.Sprintf("/newsroom/articles/%d", id), form, file, data, header...)
}

// postMultipart posts form as multipart/form-data, with data as the
// lead image's file when it is not nil (an empty file part otherwise, as
// a browser sends a file field left empty).
func (b *staffBrowser) postMultipart(t *testing.T, path string, form url.Values, file string, data []byte, header ...string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("lead_image_file", file)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", b.ts.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", "bs_staff="+b.cookie)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res, string(out)
}

var srcsetAttr = regexp.MustCompile(`srcset="([^"]+)"`)

// An uploaded photo loses its EXIF, is resized, and shows on the article
// with srcset and width and height; the resized files are cached for a
// year. Every bad upload is refused with a clear message and stores
// nothing.
func TestNewsroomImages_uploadResizeStripAndRefuse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		id := editor.createArticle(t, articleForm("Harbour at dawn"))
		ctx := context.Background()
		images := func() int {
			list, err := ts.db.Images(ctx, 1000, 0)
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		mediaFiles := func() int {
			n := 0
			_ = filepath.Walk(filepath.Join(ts.mediaDir, "u"), func(_ string, info os.FileInfo, err error) error {
				if err == nil && !info.IsDir() {
					n++
				}
				return nil
			})
			return n
		}
		alt := map[string]string{"alt": "Fishing boats at the harbour wall before sunrise", "caption": "Dawn at the harbour", "credit": "Staff"}
		cases := []struct {
			name    string
			file    string
			data    []byte
			fields  map[string]string
			status  int
			message string
		}{
			{"over 10 MB", "big.jpg", bytes.Repeat([]byte{0xFF}, 11<<20), alt, 413, "larger than 10 MB"},
			{"HTML named .jpg", "photo.jpg", []byte("<html><script>alert(1)</script></html>"), alt, 415, "Only JPEG, PNG and WebP"},
			{"a GIF", "anim.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), alt, 415, "Only JPEG, PNG and WebP"},
			{"SVG with script", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), alt, 415, "Only JPEG, PNG and WebP"},
			{"decompression bomb", "bomb.png", pngClaiming(100000, 100000), alt, 422, "pixels"},
			{"no alt text", "photo.jpg", testJPEG(t, 800, 600), map[string]string{"caption": "x"}, 422, "alt text is required"},
			{"wrong CSRF", "photo.jpg", testJPEG(t, 800, 600), map[string]string{"alt": "x", "csrf": "forged"}, 403, ""},
		}
		for _, c := range cases {
			res, body := editor.uploadImage(t, id, 1, c.file, c.data, c.fields)
			if res.StatusCode != c.status || !strings.Contains(body, c.message) {
				t.Errorf("%s: %d, want %d with %q", c.name, res.StatusCode, c.status, c.message)
			}
		}
		if n, f := images(), mediaFiles(); n != 0 || f != 0 {
			t.Fatalf("refused uploads stored %d images, %d files", n, f)
		}
		if a, _ := ts.db.Article(ctx, id); a.Version != 1 || a.LeadImage.URL != "" {
			t.Fatalf("refused uploads changed the article: v%d %q", a.Version, a.LeadImage.URL)
		}
		// Moderators cannot upload; a reporter cannot upload to someone
		// else's draft (not found: they may not see it), nor to their own
		// once it is submitted; a refused upload stores no file.
		mod := ts.signIn(t, "moderator@paper.example")
		if res, _ := mod.uploadImage(t, id, 1, "photo.jpg", testJPEG(t, 800, 600), alt); res.StatusCode != http.StatusForbidden {
			t.Errorf("moderator upload: %d", res.StatusCode)
		}
		rep := ts.signIn(t, "reporter@paper.example")
		if res, _ := rep.uploadImage(t, id, 1, "photo.jpg", testJPEG(t, 800, 600), alt); res.StatusCode != http.StatusNotFound {
			t.Errorf("reporter upload to an editor's draft: %d, want 404", res.StatusCode)
		}
		own := rep.createArticle(t, articleForm("Reporter's harbour story"))
		if res, _ := rep.post(t, fmt.Sprintf("/newsroom/articles/%d/submit", own), url.Values{"version": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit: %d", res.StatusCode)
		}
		if res, _ := rep.uploadImage(t, own, 2, "photo.jpg", testJPEG(t, 800, 600), alt); res.StatusCode != http.StatusForbidden {
			t.Errorf("reporter upload to a submitted article: %d", res.StatusCode)
		}
		if n, f := images(), mediaFiles(); n != 0 || f != 0 {
			t.Fatalf("refused uploads stored %d images, %d files", n, f)
		}

		// Saved with the text: the image is the lead image in the same
		// request that saves the form.
		res, body := editor.uploadImage(t, id, 1, "IMG_0001.JPG", testJPEG(t, 1600, 1000), alt)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d\n%s", res.StatusCode, body)
		}
		a, _ := ts.db.Article(ctx, id)
		if !strings.HasPrefix(a.LeadImage.URL, "/media/u/") || a.LeadImage.Width != 1600 || a.LeadImage.Height != 1000 || a.Version != 2 {
			t.Fatalf("lead image: %+v (v%d)", a.LeadImage, a.Version)
		}
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		_, page := ts.get(t, a.URL())
		m := srcsetAttr.FindStringSubmatch(page)
		if m == nil || !strings.Contains(page, `width="1600" height="1000"`) {
			t.Fatal("the article's lead image has no srcset or size")
		}
		for _, part := range strings.Split(m[1], ", ") {
			url, w, _ := strings.Cut(part, " ")
			res, data := ts.get(t, url)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" ||
				!strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
				t.Errorf("%s: %d %s %s", url, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
			}
			if strings.Contains(data, "Exif") || strings.Contains(data, "SECRETCAM") {
				t.Errorf("%s (%s) keeps the EXIF data", url, w)
			}
			cfg, err := jpeg.DecodeConfig(strings.NewReader(data))
			if err != nil || fmt.Sprintf("%dw", cfg.Width) != w {
				t.Errorf("%s is %d px wide, srcset says %s (%v)", url, cfg.Width, w, err)
			}
		}
	})
}
