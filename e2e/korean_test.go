package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
)

// koreanLinks are the texts of the page's links to a section front or a
// static page, in the order they come.
func koreanLinks(t *testing.T, ctx context.Context, path string) []string {
	t.Helper()
	return eval[[]string](t, ctx, `[...document.querySelectorAll("a")].filter(a => a.pathname === `+jsLiteral(path)+
		` && !a.closest("[hreflang]") && !a.hasAttribute("hreflang")).map(a => a.textContent.trim())`)
}

// everyIs fails unless there is at least one text and all are want.
func everyIs(t *testing.T, what string, got []string, want string) {
	t.Helper()
	if len(got) == 0 || slices.IndexFunc(got, func(s string) bool { return s != want }) >= 0 {
		t.Errorf("%s: got %q, want every one %q", what, got, want)
	}
}

// A reader of the Korean edition, on a phone and on a desktop, finds the
// sections, the breadcrumb, the section's heading and the footer's pages
// named in Korean, and the login button's particle chosen by the
// provider's name; the English edition keeps the English names.
func TestKorean_readerChrome(t *testing.T) {
	type want struct{ national, politics, policy, login string }
	editions := map[string]want{
		"ko": {"국내", "정치", "윤리위원회 정책", "Local ID로 로그인"},
		"en": {"National", "Politics", "Standards Board Policy", "Log in with Local ID"},
	}
	for _, width := range []int{360, 1280} {
		for _, lang := range []string{"ko", "en"} {
			w := editions[lang]
			t.Run(fmt.Sprintf("%s-%d", lang, width), func(t *testing.T) {
				ctx := newTab(t)
				do(t, ctx, chromedp.EmulateViewport(int64(width), 800))

				open(t, ctx, "/?lang="+lang)
				everyIs(t, "home: links to National", koreanLinks(t, ctx, "/section/national"), w.national)
				if got := koreanLinks(t, ctx, "/page/standards-board-policy"); !slices.Contains(got, w.policy) {
					t.Errorf("home: footer links to the policy %q, want %q", got, w.policy)
				}
				screenshot(t, ctx, fmt.Sprintf("korean-home-%s-%d", lang, width))
				viewScreenshot(t, ctx, fmt.Sprintf("korean-home-%s-%d-top", lang, width))
				eval[bool](t, ctx, `(window.scrollTo(0, document.body.scrollHeight), true)`)
				viewScreenshot(t, ctx, fmt.Sprintf("korean-home-%s-%d-bottom", lang, width))

				open(t, ctx, "/section/national/politics?lang="+lang)
				if got := texts(t, ctx, "main h1"); len(got) == 0 || got[0] != w.politics {
					t.Errorf("section front: heading %q, want %q", got, w.politics)
				}
				everyIs(t, "section front: links to National", koreanLinks(t, ctx, "/section/national"), w.national)
				if got := texts(t, ctx, ".breadcrumb li"); !slices.Contains(got, w.national) || !slices.Contains(got, w.politics) {
					t.Errorf("section front: breadcrumb %q, want %q and %q", got, w.national, w.politics)
				}
				if got := run(t, ctx, chromedp.Title()); !strings.HasPrefix(got, w.politics+" | ") {
					t.Errorf("section front: title %q, want it to begin with %q", got, w.politics)
				}
				screenshot(t, ctx, fmt.Sprintf("korean-section-%s-%d", lang, width))

				story := topStory(t, ctx)
				open(t, ctx, story.Path+"?lang="+lang)
				do(t, ctx, chromedp.WaitReady(".login-button")) // the comment block comes by script
				if got := texts(t, ctx, ".login-button"); !slices.Contains(got, w.login) {
					t.Errorf("article: login buttons %q, want %q", got, w.login)
				}
				screenshot(t, ctx, fmt.Sprintf("korean-article-%s-%d", lang, width))
			})
		}
	}
}

// An editor gives a section a Korean name on the newsroom's section page;
// the Korean edition's cached front shows it at once, the English one
// keeps the English name, and a name too long is refused beside its field.
func TestKorean_editorNamesASection(t *testing.T) {
	s := startNewsroomSite(t)
	culture, err := s.db.SectionByPath(context.Background(), "culture")
	if err != nil {
		t.Fatal(err)
	}
	// Each look is from a new reader (own browser cache), so what is seen
	// is what the site serves, not what a browser kept.
	var reader context.Context
	readerOpen := func(path string) {
		t.Helper()
		reader = newTab(t)
		s.open(t, reader, path)
	}
	readerOpen("/section/culture?lang=ko") // in the page cache now, with the old name
	if got := texts(t, reader, "main h1"); len(got) == 0 || got[0] != "문화" {
		t.Fatalf("Korean front before: heading %q, want 문화", got)
	}

	ed := s.signInTab(t, account.Editor)
	edit := fmt.Sprintf("/newsroom/sections/%d", culture.ID)
	for _, width := range []int{360, 1280} {
		do(t, ed, chromedp.EmulateViewport(int64(width), 900))
		s.open(t, ed, edit)
		screenshot(t, ed, fmt.Sprintf("korean-newsroom-section-%d", width))
	}

	setValue(t, ed, "#edit-name-ko", strings.Repeat("가", 81)) // past the field's maxlength, as a script could
	if status := s.submit(t, ed, ".newsroom-form button[type=submit]"); status != 422 {
		t.Errorf("a Korean name of 81 characters: status %d, want 422", status)
	}
	if got := texts(t, ed, "#edit-name-ko-error"); len(got) == 0 || !strings.Contains(got[0], "80") {
		t.Errorf("refused Korean name: error %q beside the field, want one naming the limit", got)
	}
	screenshot(t, ed, "korean-newsroom-section-refused")

	setValue(t, ed, "#edit-name-ko", "문화·예술")
	if status := s.submit(t, ed, ".newsroom-form button[type=submit]"); status != 200 {
		t.Fatalf("saving the Korean name: status %d", status)
	}
	if got := texts(t, ed, "td[lang=ko]"); !slices.Contains(got, "문화·예술") {
		t.Errorf("the section list's Korean names %q, want 문화·예술 among them", got)
	}

	readerOpen("/section/culture?lang=ko")
	if got := texts(t, reader, "main h1"); len(got) == 0 || got[0] != "문화·예술" {
		t.Errorf("Korean front after: heading %q, want 문화·예술", got)
	}
	readerOpen("/section/culture?lang=en")
	if got := texts(t, reader, "main h1"); len(got) == 0 || got[0] != "Culture" {
		t.Errorf("English front after: heading %q, want Culture", got)
	}
}
