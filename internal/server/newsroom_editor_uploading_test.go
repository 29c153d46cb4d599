package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// The placeholder the editor's script writes while an image uploads is
// no image: an article showing one is refused publication and
// scheduling, and a published article is not saved with one.
func TestNewsroomEditor_uploadPlaceholderIsNeverPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		const placeholder = "![Uploading harbour.jpg…](#uploading-3)"
		const refusal = "an image is still uploading"

		f := articleForm("Waiting for a picture")
		f.Set("body", "The harbour at dawn.\n\n"+placeholder+"\n")
		id := editor.createArticle(t, f) // a draft may hold it: the upload may still finish
		if res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, refusal) {
			t.Errorf("publishing with an upload placeholder: %d, want 422 saying %q", res.StatusCode, refusal)
		}
		if a, _ := ts.db.Article(context.Background(), id); a.Status != article.Draft {
			t.Errorf("the article is %s, want still a draft", a.Status)
		}

		pub := editor.createArticle(t, articleForm("Already out"))
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", pub), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		before, _ := ts.db.Article(context.Background(), pub)
		form := editor.editorForm(t, pub)
		form.Set("body", before.Body+"\n\n"+placeholder+"\n")
		if res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d", pub), form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, refusal) {
			t.Errorf("saving a published article with an upload placeholder: %d, want 422 saying %q", res.StatusCode, refusal)
		}
		if after, _ := ts.db.Article(context.Background(), pub); after.Version != before.Version || strings.Contains(after.Body, "#uploading-") {
			t.Errorf("the published article changed: version %d → %d", before.Version, after.Version)
		}
	})
}
