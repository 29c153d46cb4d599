package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// screenshotMaxHeight caps a full-page screenshot: what lies below 4000 px
// of a long front is more of the same, and encoding it costs time.
const screenshotMaxHeight = 4000

// TestReaderSite_screenshotsEveryPageType saves a full-page PNG of every
// page type of the reader site, anonymous and signed in, in English and
// Korean, at 360 and 1280 px, light and dark, as
// test-output/e2e/PAGE-LANG-SCHEME-WIDTH.png, for people to look at.
func TestReaderSite_screenshotsEveryPageType(t *testing.T) {
	ctx := tourTab(t)
	saved := 0
	reader := tourReader{subject: "tour-screenshots", name: "Mina Park",
		comment: "Well told; 쉽게 읽히는 기사입니다."}
	tourReaderSite(t, ctx, reader, func(s pageState) {
		// Images below the first screen load lazily, as the reader
		// scrolls; the screenshot shows the page as scrolled through.
		_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`Promise.all([...document.images].map(img => {
			img.loading = "eager";
			return img.complete ? null : new Promise(r => { img.onload = img.onerror = r; });
		}))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("loading the images of %s: %v", s, err)
		}
		height := min(eval[float64](t, ctx, `document.documentElement.scrollHeight`), screenshotMaxHeight)
		shot, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			Clip:                  &page.Viewport{Width: float64(s.Width), Height: height, Scale: 1},
			CaptureBeyondViewport: new(true),
			OptimizeForSpeed:      new(true),
		})
		if err != nil {
			t.Fatalf("screenshot of %s: %v", s, err)
		}
		if !bytes.HasPrefix(shot.Data, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("screenshot of %s: not a PNG", s)
		}
		if err := os.WriteFile(filepath.Join(site.outDir, s.fileName()+".png"), shot.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		saved++
	})
	t.Logf("saved %d screenshots in %s", saved, site.outDir)
}
