package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/demo"
	"broadsheet/internal/i18n"
	"broadsheet/internal/page"
	"broadsheet/internal/section"
	"broadsheet/internal/store"
)

// koreanSite is the demo paper behind a reader site with its page cache
// on, and the section and page services that tell it of changes.
type koreanSite struct {
	db       *store.DB
	h        *Handler
	sections *section.Service
	pages    *page.Service
}

func newKoreanSite(t *testing.T) koreanSite {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Load(ctx, db, filepath.Join(dir, "media"), time.Now()); err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler(Config{BaseURL: "http://t.test", PageCache: true},
		slog.New(slog.NewTextHandler(io.Discard, nil)), db, cat)
	if err != nil {
		t.Fatal(err)
	}
	render := func(md string) (string, error) { return article.RenderMarkdown(md) }
	return koreanSite{db: db, h: h, sections: section.NewService(db, nil, h),
		pages: page.NewService(db, nil, h, page.Rules{Render: render}, nil)}
}

func (s koreanSite) get(t *testing.T, path string) string {
	t.Helper()
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, w.Code)
	}
	return w.Body.String()
}

var (
	breadcrumbRe = regexp.MustCompile(`(?s)<nav class="breadcrumb"[^>]*>(.*?)</nav>`)
	h1Re         = regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`)
	footerRe     = regexp.MustCompile(`(?s)<footer[^>]*>(.*?)</footer>`)
	titleRe      = regexp.MustCompile(`<title>(.*?)</title>`)
)

// linkTexts are the texts of the page's links to path in the page's
// language lang: the navigation's, the breadcrumb's, the fronts'
// headings', not the language switch's.
func linkTexts(t *testing.T, page, path, lang string) []string {
	t.Helper()
	re := regexp.MustCompile(`<a href="` + regexp.QuoteMeta(path) + `(?:\?lang=` + lang + `)?"[^>]*>([^<]*)</a>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	if len(out) == 0 {
		t.Fatalf("no link to %s in the page", path)
	}
	return out
}

// allAre fails unless every text is want.
func allAre(t *testing.T, what string, texts []string, want string) {
	t.Helper()
	for _, s := range texts {
		if s != want {
			t.Errorf("%s: got %q among %q, want every one %q", what, s, texts, want)
			return
		}
	}
}

// part is the first match of re's group in page, failing when there is none.
func part(t *testing.T, re *regexp.Regexp, page, what string) string {
	t.Helper()
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no %s in the page", what)
	}
	return m[1]
}

// A Korean page names sections and static pages in Korean wherever the
// chrome shows them (navigation, breadcrumb, heading, title, footer); an
// English page, and a Korean one for a section without a Korean name,
// keeps the English names.
func TestKoreanNames_inTheChrome(t *testing.T) {
	s := newKoreanSite(t)
	ko := s.get(t, "/section/national/politics?lang=ko")
	en := s.get(t, "/section/national/politics?lang=en")
	for _, l := range []struct{ path, ko, en string }{
		{"/section/national", "국내", "National"},
		{"/section/opinion", "오피니언", "Opinion"},
		{"/section/culture", "문화", "Culture"},
	} {
		allAre(t, "Korean links to "+l.path, linkTexts(t, ko, l.path, "ko"), l.ko)
		allAre(t, "English links to "+l.path, linkTexts(t, en, l.path, "en"), l.en)
	}
	for _, c := range []struct {
		re      *regexp.Regexp
		what    string
		ko, en  string
		notInKo string
		notInEn string
	}{
		{breadcrumbRe, "breadcrumb", ">국내<", ">National<", ">National<", ">국내<"},
		{breadcrumbRe, "breadcrumb", ">정치<", ">Politics<", ">Politics<", ">정치<"},
		{h1Re, "heading", "정치", "Politics", "Politics", "정치"},
		{titleRe, "title", "정치", "Politics", "Politics", "정치"},
		{footerRe, "footer", "윤리위원회 정책", "Standards Board Policy", "Standards Board Policy", "윤리위원회 정책"},
	} {
		k, e := part(t, c.re, ko, c.what), part(t, c.re, en, c.what)
		if !strings.Contains(k, c.ko) || strings.Contains(k, c.notInKo) {
			t.Errorf("Korean %s: got %q, want %q and not %q", c.what, k, c.ko, c.notInKo)
		}
		if !strings.Contains(e, c.en) || strings.Contains(e, c.notInEn) {
			t.Errorf("English %s: got %q, want %q and not %q", c.what, e, c.en, c.notInEn)
		}
	}

	// Without a Korean name, the Korean page shows the English one.
	ctx := context.Background()
	culture, err := s.db.SectionByPath(ctx, "culture")
	if err != nil {
		t.Fatal(err)
	}
	editor := account.Staff{ID: 1, Name: "Editor", Role: account.Editor}
	if _, err := s.sections.Update(ctx, editor, culture.ID, section.Input{Slug: culture.Slug, Name: culture.Name,
		Description: culture.Description, Position: culture.Position}); err != nil {
		t.Fatal(err)
	}
	ko = s.get(t, "/section/culture?lang=ko")
	if h := part(t, h1Re, ko, "heading"); !strings.Contains(h, "Culture") {
		t.Errorf("Korean heading of a section without a Korean name: got %q, want %q", h, "Culture")
	}
	allAre(t, "Korean links to a section without a Korean name", linkTexts(t, ko, "/section/culture", "ko"), "Culture")
	allAre(t, "Korean links beside it", linkTexts(t, ko, "/section/national", "ko"), "국내")
}

// A cached Korean page shows a section's new Korean name as soon as
// editors change it, and a page's new Korean title: the page cache keeps
// a copy per language, and the change drops both.
func TestKoreanNames_renameInvalidatesCachedPages(t *testing.T) {
	s := newKoreanSite(t)
	ctx := context.Background()
	paths := []string{"/?lang=ko", "/section/national?lang=ko", "/section/national/politics?lang=ko", "/?lang=en"}
	for _, p := range paths {
		s.get(t, p)
	}
	if _, _, hits, _ := s.h.PageCacheStats(); hits != 0 {
		t.Fatalf("hits before any repeat: %d", hits)
	}
	for _, p := range paths { // served from the cache now
		s.get(t, p)
	}
	if _, _, hits, _ := s.h.PageCacheStats(); hits != uint64(len(paths)) {
		t.Fatalf("got %d cache hits, want %d: the pages are not cached", hits, len(paths))
	}

	national, err := s.db.SectionByPath(ctx, "national")
	if err != nil {
		t.Fatal(err)
	}
	editor := account.Staff{ID: 1, Name: "Editor", Role: account.Editor}
	if _, err := s.sections.Update(ctx, editor, national.ID, section.Input{Slug: national.Slug, Name: national.Name,
		NameKo: "전국", Description: national.Description, Position: national.Position}); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths[:3] {
		allAre(t, p+" after the rename", linkTexts(t, s.get(t, p), "/section/national", "ko"), "전국")
	}
	allAre(t, "English after the Korean rename", linkTexts(t, s.get(t, "/?lang=en"), "/section/national", "en"), "National")

	policy, err := s.db.PageBySlug(ctx, "standards-board-policy")
	if err != nil {
		t.Fatal(err)
	}
	titleKo := "독자 의견 정책"
	if _, err := s.pages.Update(ctx, editor, policy.ID, page.Input{Slug: policy.Slug, Title: policy.Title,
		TitleKo: &titleKo, Body: policy.Body}); err != nil {
		t.Fatal(err)
	}
	if f := part(t, footerRe, s.get(t, "/?lang=ko"), "footer"); !strings.Contains(f, titleKo) {
		t.Errorf("Korean footer after the page's new Korean title: %q, want %q", f, titleKo)
	}
}

// The error page for a malformed list address says what is wrong in the
// page's language, the value the reader sent quoted in it.
func TestBadCursor_saidInTheReadersLanguage(t *testing.T) {
	s := newKoreanSite(t)
	for lang, want := range map[string]string{
		"ko": "“zzz”는 올바른 페이지 위치가 아닙니다",
		"en": "“zzz” is not a page cursor",
	} {
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, httptest.NewRequest("GET", "/section/national?after=zzz&lang="+lang, nil))
		if body := w.Body.String(); w.Code != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want 400 saying %q", lang, w.Code, want)
		}
	}
}

// localNames runs once per change to the navigation, not per page; this
// measures what a change costs on top of reading the navigation.
func BenchmarkLocalNames(b *testing.B) {
	var secs []section.Section
	for i := range 60 {
		secs = append(secs, section.Section{ID: int64(i + 1), Slug: "s", Path: "s" + strings.Repeat("x", i), Name: "Section", NameKo: "섹션"})
	}
	pages := []page.Page{{Slug: "about", Title: "About", TitleKo: "소개"}, {Slug: "privacy", Title: "Privacy"}}
	tree := section.NewTree(secs)
	for b.Loop() {
		_ = localNames(tree, pages)
	}
}
