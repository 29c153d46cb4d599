package server_test

import (
	"context"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/config"
	"broadsheet/internal/store/storetest"
)

// png16Claiming is a 16-bit RGBA PNG header claiming w×h pixels over a
// scrap of data: under the pixel limit at 6300 × 6300, but 318 MB decoded.
func png16Claiming(w, h uint32) []byte {
	chunk := func(typ string, data []byte) []byte {
		out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		out = append(out, typ...)
		out = append(out, data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, w), h)
	ihdr = append(ihdr, 16, 6, 0, 0, 0)
	out := append([]byte("\x89PNG\r\n\x1a\n"), chunk("IHDR", ihdr)...)
	return append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x62, 0x00})...)
}

func TestNewsroomImages_memoryBudget(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e, func(c *config.Config) { c.ImageWait = 50 * time.Millisecond })
		editor := ts.signIn(t, "editor@paper.example")
		id := editor.createArticle(t, articleForm("Harbour at dawn"))
		alt := map[string]string{"alt": "Fishing boats at the harbour wall before sunrise"}

		// An image whose decoding alone needs more than the budget.
		res, body := editor.uploadImage(t, id, 1, "scan.png", png16Claiming(6300, 6300), alt)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "would take too much memory") ||
			!strings.Contains(body, "8 bits per channel") {
			t.Errorf("16-bit 6300×6300 PNG: %d, want 422 saying why\n%s", res.StatusCode, excerpt(body, "image"))
		}

		// With the budget taken by other work, an upload waits, then is
		// refused as busy with a time to come back.
		release, err := ts.site.Images.Reserve(context.Background(), 256<<20)
		if err != nil {
			t.Fatal(err)
		}
		res, body = editor.uploadImage(t, id, 1, "photo.jpg", testJPEG(t, 800, 600), alt)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "30" ||
			!strings.Contains(body, "busy resizing other images") {
			t.Errorf("budget taken: %d (Retry-After %q), want 503 saying the server is busy\n%s",
				res.StatusCode, res.Header.Get("Retry-After"), excerpt(body, "busy"))
		}
		release()
		if a, _ := ts.db.Article(context.Background(), id); a.Version != 1 || a.LeadImage.URL != "" {
			t.Fatalf("refused uploads changed the article: v%d %q", a.Version, a.LeadImage.URL)
		}
		if res, body := editor.uploadImage(t, id, 1, "photo.jpg", testJPEG(t, 800, 600), alt); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload with the budget free: %d\n%s", res.StatusCode, excerpt(body, "image"))
		}
	})
}
