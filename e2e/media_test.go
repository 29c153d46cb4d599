package e2e

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
	"broadsheet/internal/media"
)

// mediaDropFile drops a JPEG made of data onto #body as a file dragged
// from the desktop would be: a DragEvent whose DataTransfer holds a File.
func mediaDropFile(t *testing.T, ctx context.Context, name string, data []byte) {
	t.Helper()
	eval[bool](t, ctx, `(() => {
		const bin = atob(`+jsLiteral(base64.StdEncoding.EncodeToString(data))+`);
		const bytes = new Uint8Array(bin.length);
		for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], `+jsLiteral(name)+`, {type: "image/jpeg"}));
		const body = document.getElementById("body");
		body.focus();
		body.setSelectionRange(body.value.length, body.value.length);
		body.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
		body.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true;
	})()`)
}

// mediaWaitForDetails waits until an image whose details contain text is
// in the library: the editor saves the dialog's details after inserting
// the figure.
func mediaWaitForDetails(t *testing.T, s *newsroomSite, text string) {
	t.Helper()
	for end := time.Now().Add(tabTimeout); time.Now().Before(end); {
		ims, err := s.db.SearchImages(context.Background(), media.ListQuery{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if len(ims) > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no image's details contain %q", text)
}

// mediaScreenshots saves the page at 1280 and 360 px wide.
func mediaScreenshots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	do(t, ctx, chromedp.EmulateViewport(1280, 800))
	screenshot(t, ctx, name+"-1280")
	do(t, ctx, chromedp.EmulateViewport(360, 740))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("%s is %d px wide at 360 px", name, w)
	}
	screenshot(t, ctx, name+"-360")
	do(t, ctx, chromedp.EmulateViewport(1280, 800))
}

var mediaFigure = regexp.MustCompile(`!\[Harbour wall at dawn\]\((/media/u/[0-9a-f]+/\d+\.jpg) "Boats wait for the tide \| Mina Park"\)`)

// A reporter drags a photo into the body, describes it in the dialog and
// gets a figure; the lead image is uploaded as soon as it is chosen. The
// library lists the photos, finds them, edits them, and refuses to delete
// one an article uses, naming the article.
func TestMedia_dragIntoBodyAndLibrary(t *testing.T) {
	s := startNewsroomSite(t)
	rep := s.signInTab(t, account.Reporter)
	photo := testPhoto(t)
	photoFile := filepath.Join(t.TempDir(), "harbour.jpg")
	if err := os.WriteFile(photoFile, photo, 0o644); err != nil {
		t.Fatal(err)
	}

	s.open(t, rep, "/newsroom/articles/new")
	setValue(t, rep, "#headline", "Harbour wall repairs begin")
	setValue(t, rep, "#body", "Work on the harbour wall began on Monday.")
	mediaDropFile(t, rep, "harbour.jpg", photo)
	waitFor(t, rep, `document.querySelector(".editor-images-dialog") && document.querySelector(".editor-images-dialog").open`)
	if v := eval[string](t, rep, `document.getElementById("body").value`); !strings.Contains(v, "harbour.jpg") {
		t.Errorf("no placeholder while the dialog asks: %q", v)
	}
	viewScreenshot(t, rep, "media-editor-dialog-1280")
	setValue(t, rep, "#editor-images-alt", "Harbour wall at dawn")
	setValue(t, rep, "#editor-images-caption", "Boats wait for the tide")
	setValue(t, rep, "#editor-images-credit", "Mina Park")
	do(t, rep, chromedp.Click(`.editor-images-dialog button[type=submit]`))
	waitFor(t, rep, `document.getElementById("body").value.includes("![Harbour wall at dawn](")`)
	body := eval[string](t, rep, `document.getElementById("body").value`)
	if !mediaFigure.MatchString(body) || !strings.Contains(body, "Monday.\n\n![") {
		t.Fatalf("the body after the drop:\n%s", body)
	}
	if strings.Contains(body, "Uploading") {
		t.Errorf("the placeholder stayed:\n%s", body)
	}

	// The library's chooser puts an uploaded image at the cursor with
	// its stored details, once the dialog's have reached the library.
	mediaWaitForDetails(t, s, "tide")
	eval[bool](t, rep, `(() => { const b = document.getElementById("body"); b.setSelectionRange(0, 0); return true })()`)
	do(t, rep, chromedp.Click(`.editor-toolbar .editor-images-choose`))
	waitFor(t, rep, `document.querySelector(".editor-images-chooser").open && document.querySelectorAll(".editor-images-result").length === 1`)
	viewScreenshot(t, rep, "media-editor-chooser-1280")
	do(t, rep, chromedp.Click(`.editor-images-result`))
	waitFor(t, rep, `document.getElementById("body").value.startsWith("![Harbour wall at dawn](")`)
	body = eval[string](t, rep, `document.getElementById("body").value`)
	if got := mediaFigure.FindAllString(body, -1); len(got) != 2 || got[0] != got[1] || !strings.Contains(body, ")\n\nWork on") {
		t.Fatalf("the body after choosing from the library:\n%s", body)
	}

	// A file that is not an image leaves nothing and says why.
	eval[bool](t, rep, `(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(["not a picture"], "notes.jpg", {type: "image/jpeg"}));
		document.getElementById("body").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true;
	})()`)
	waitFor(t, rep, `!document.getElementById("editor-images-error").hidden`)
	if msg := texts(t, rep, "#editor-images-error"); len(msg) == 0 || !strings.Contains(msg[0], "Only JPEG, PNG and WebP") {
		t.Errorf("the refusal of a bad file says %q", msg)
	}
	if v := eval[string](t, rep, `document.getElementById("body").value`); v != body {
		t.Errorf("the refused file changed the body:\n%s", v)
	}

	// A pasted image whose dialog is dismissed with Esc leaves the body as
	// it was; the image stays in the library.
	eval[bool](t, rep, `(() => {
		const bin = atob(`+jsLiteral(base64.StdEncoding.EncodeToString(photo))+`);
		const bytes = new Uint8Array(bin.length);
		for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], "clipboard.jpg", {type: "image/jpeg"}));
		document.getElementById("body").dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
		return true;
	})()`)
	waitFor(t, rep, `document.querySelector(".editor-images-dialog").open && document.querySelector(".editor-images-dialog-file").textContent === "clipboard.jpg"`)
	do(t, rep, chromedp.KeyEvent("\u001b")) // Esc
	waitFor(t, rep, `!document.querySelector(".editor-images-dialog").open && !document.getElementById("body").value.includes("clipboard.jpg")`)
	if v := eval[string](t, rep, `document.getElementById("body").value`); v != body {
		t.Errorf("the cancelled paste changed the body:\n%s", v)
	}

	// The lead image is uploaded at once and fills the fields.
	setValue(t, rep, "#image_alt", "Harbour wall from the pier")
	do(t, rep, chromedp.SetUploadFiles(`#lead-image-file`, []string{photoFile}))
	waitFor(t, rep, `document.getElementById("image_url").value.startsWith("/media/u/")`)
	if eval[bool](t, rep, `document.getElementById("lead-image-preview").hidden || document.getElementById("lead-image-file").value !== ""`) {
		t.Error("the lead image is not previewed, or its file would be sent again")
	}
	setValue(t, rep, "#authors", "Mina Park <mina.park@paper.example>")
	do(t, rep, chromedp.SetValue(`#section`, "national/politics"))
	if st := s.submit(t, rep, `button[name=action][value=save]`); st != 200 {
		t.Fatalf("save the draft: %d", st)
	}
	id := articleID(t, rep)
	a := s.article(t, id)
	m := mediaFigure.FindStringSubmatch(a.Body)
	if m == nil || !strings.HasPrefix(a.LeadImage.URL, "/media/u/") || a.LeadImage.Alt != "Harbour wall from the pier" {
		t.Fatalf("the saved article: body %q, lead image %+v", a.Body, a.LeadImage)
	}

	// The library: the dialog's details were kept with the image.
	s.open(t, rep, "/newsroom/media")
	if n := count(t, rep, ".media-card"); n != 3 {
		t.Errorf("%d images in the library, want 3 (dropped, pasted, lead)", n)
	}
	mediaScreenshots(t, rep, "media-library")
	s.open(t, rep, "/newsroom/media?q=tide")
	if got := texts(t, rep, ".media-card-alt"); len(got) != 1 || got[0] != "Harbour wall at dawn" {
		t.Errorf("search for tide: %q", got)
	}
	if got := texts(t, rep, ".media-card-uses"); len(got) != 1 || got[0] != "Used in 1 article or page" {
		t.Errorf("uses: %q", got)
	}
	follow(t, rep, ".media-card-alt a")
	item := location(t, rep)
	setValue(t, rep, "#media-caption", "Boats wait for the evening tide")
	s.submit(t, rep, `.media-item-text form.newsroom-form button[type=submit]`)
	if got := texts(t, rep, ".notice"); len(got) == 0 {
		t.Error("no notice after saving the details")
	}
	if st := s.submit(t, rep, `.media-delete button`); st != 409 {
		t.Errorf("deleting an image in use answered %d", st)
	}
	if got := texts(t, rep, ".media-delete .form-error li a"); len(got) != 1 || got[0] != "Harbour wall repairs begin" {
		t.Errorf("the refusal names %q", got)
	}
	mediaScreenshots(t, rep, "media-item-refused")
	s.open(t, rep, item+"?lang=ko")
	mediaScreenshots(t, rep, "media-item-ko")
	s.open(t, rep, "/newsroom/media?lang=ko")
	if got := texts(t, rep, ".main-nav a[aria-current=page]"); len(got) != 1 || got[0] != "미디어" {
		t.Errorf("the Korean navigation marks %q", got)
	}
	mediaScreenshots(t, rep, "media-library-ko")

	// Through the page's own form.
	s.open(t, rep, "/newsroom/media")
	// Opened by its property rather than a click on the summary, which
	// once missed it on a busy machine and left the form closed.
	eval[bool](t, rep, `(document.querySelector(".media-upload").open = true, true)`)
	do(t, rep, chromedp.SetUploadFiles(`#media-image`, []string{photoFile}))
	setValue(t, rep, "#media-alt", "A second view of the wall")
	setValue(t, rep, "#media-credit", "Staff")
	if st := s.submit(t, rep, `.media-upload button[type=submit]`); st != 200 || !strings.HasPrefix(location(t, rep), "/newsroom/media/") {
		t.Fatalf("the form's upload: %d at %s", st, location(t, rep))
	}
	mediaScreenshots(t, rep, "media-item")
	if st := s.submit(t, rep, `.media-delete button`); st != 200 || location(t, rep) != "/newsroom/media?deleted=1" {
		t.Errorf("deleting an unused image: %d at %s", st, location(t, rep))
	}
}
