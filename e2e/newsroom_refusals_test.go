package e2e

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/glossary"
)

// Two refusals as their staff member meets them, in English and Korean,
// on a phone and on a desk: a moderator naming a reporter's draft in the
// comment-mode form (the policy hides drafts from moderators, so it is
// answered as an article that does not exist), and an editor importing a
// glossary file while another import runs (503, nothing imported).
func TestNewsroom_policyAndBusyRefusalsInTheBrowser(t *testing.T) {
	s := startNewsroomSite(t)
	ctx := context.Background()
	sec, err := s.db.SectionByPath(ctx, "national")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	draft := &article.Article{Slug: "a-draft", Headline: "A reporter's draft", Body: "Not yet.", BodyHTML: "<p>Not yet.</p>",
		SectionID: sec.ID, Status: article.Draft, CreatedAt: now, UpdatedAt: now,
		Authors: []author.Author{{Name: "Mina Park", Email: "mina.park@paper.example"}}}
	if err := s.db.CreateArticle(ctx, draft); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(t.TempDir(), "words.csv")
	if err := os.WriteFile(csv, []byte("headword,lang,translation\nsanction,ko,제재\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(w time.Duration) { glossary.ImportWait = w }(glossary.ImportWait)
	glossary.ImportWait = 100 * time.Millisecond

	mod, ed := s.signInTab(t, account.Moderator), s.signInTab(t, account.Editor)
	for _, tc := range []struct {
		lang, name    string
		width, height int64
		noArticle     string
		busy          string
	}{
		{"en", "desktop", 1280, 900, "article", "Another glossary import is running"},
		{"ko", "mobile", 360, 800, "기사", "다른 용어집 가져오기가 진행 중입니다"},
	} {
		do(t, mod, chromedp.EmulateViewport(tc.width, tc.height))
		s.open(t, mod, "/newsroom/moderation/settings?lang="+tc.lang)
		setValue(t, mod, "#mode-article-id", strconv.FormatInt(draft.ID, 10))
		if st := s.submit(t, mod, `form:has(#mode-article-id) button[type=submit]`); st != http.StatusUnprocessableEntity {
			t.Errorf("%s: a moderator sets the mode of a draft: %d, want 422", tc.lang, st)
		}
		if msg := eval[string](t, mod, `(document.querySelector("#mode-article-id-error") || {}).textContent || ""`); !strings.Contains(msg, tc.noArticle) {
			t.Errorf("%s: the refusal next to the article field says %q", tc.lang, msg)
		}
		screenshot(t, mod, "newsroom-mode-draft-refused-"+tc.lang+"-"+tc.name)

		release, err := glossary.TakeImportTurn(ctx) // an import under way
		if err != nil {
			t.Fatal(err)
		}
		do(t, ed, chromedp.EmulateViewport(tc.width, tc.height))
		s.open(t, ed, "/newsroom/glossary?lang="+tc.lang)
		do(t, ed, chromedp.SetUploadFiles(`#import-csv`, []string{csv}))
		st := s.submit(t, ed, `form[enctype="multipart/form-data"] button[type=submit]`)
		page := eval[string](t, ed, `document.body.innerText`)
		screenshot(t, ed, "newsroom-glossary-import-busy-"+tc.lang+"-"+tc.name)
		release()
		if st != http.StatusServiceUnavailable || !strings.Contains(page, tc.busy) {
			t.Errorf("%s: import while another runs: %d\n%.400s", tc.lang, st, page)
		}
	}
	n := 0
	if err := s.db.EachGlossaryEntry(ctx, func(glossary.Entry) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("refused imports stored %d entries (%v)", n, err)
	}
}
