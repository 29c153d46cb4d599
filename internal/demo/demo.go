// Package demo loads the demo newspaper: sections, five authors, 42
// articles, three static pages and generated images, all written for this
// project. Loading is idempotent: each item is created only if missing,
// and a marker setting records a completed load.
package demo

import (
	"bufio"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/cache"
	"broadsheet/internal/media"
	"broadsheet/internal/page"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
)

//go:embed content
var content embed.FS

// Version is stored in the demo_version setting after a complete load.
const Version = "1"

const settingDemo = "demo_version"

// Store is what loading the demo writes.
type Store interface {
	article.Store
	Settings(ctx context.Context) (map[string]string, error)
	SetSetting(ctx context.Context, key, value string) error
	Sections(ctx context.Context) ([]section.Section, error)
	CreateSection(ctx context.Context, s *section.Section) error
	Authors(ctx context.Context) ([]author.Author, error)
	SaveAuthor(ctx context.Context, a *author.Author) error
	PageBySlug(ctx context.Context, slug string) (page.Page, error)
	SavePage(ctx context.Context, p *page.Page) error
	ListArticles(ctx context.Context, q article.ListQuery) ([]article.Article, error)
	TopStories(ctx context.Context, limit int) ([]article.Article, error)
	SetTopStories(ctx context.Context, ids []int64) error
}

// ErrNotEmpty reports a site that has articles of its own: the demo is
// for new sites and never mixes into real content.
var ErrNotEmpty = errors.New("the database already has articles that are not the demo's; --demo loads only into a new site")

// sections is the demo's section tree, parents first, with each
// section's Korean name.
var sections = []struct{ path, name, nameKo, description string }{
	{"national", "National", "국내", "Politics, society and public life across the country."},
	{"national/politics", "Politics", "정치", "The National Assembly, the presidential office, parties and elections."},
	{"national/social-affairs", "Social Affairs", "사회", "Education, welfare, health, transport and the way we live."},
	{"business", "Business", "비즈니스", "Markets, companies and the economy."},
	{"business/economy", "Economy", "경제", "Growth, prices, jobs, trade and monetary policy."},
	{"business/industry", "Industry", "산업", "Shipbuilding, chips, batteries, ports and the companies behind them."},
	{"opinion", "Opinion", "오피니언", "Columns and editorials."},
	{"opinion/columns", "Columns", "칼럼", "Our columnists on language, cities and everyday life."},
	{"opinion/editorials", "Editorials", "사설", "The view of the editorial board."},
	{"culture", "Culture", "문화", "Film, music, books, art and heritage."},
	{"sports", "Sports", "스포츠", "Baseball, football, running and more."},
}

// Load writes the demo content unless a complete load is recorded. Images
// go to the folder mediaDir; article times count back from now.
func Load(ctx context.Context, db Store, mediaDir string, now time.Time) (loaded bool, err error) {
	return LoadInto(ctx, db, media.NewLocalDisk(mediaDir), now)
}

// LoadInto is Load with the images stored in files, a folder or a bucket.
func LoadInto(ctx context.Context, db Store, files media.Storage, now time.Time) (loaded bool, err error) {
	settings, err := db.Settings(ctx)
	if err != nil {
		return false, err
	}
	if settings[settingDemo] == Version {
		return false, nil
	}
	if _, err := demoArticles(ctx, db); err != nil { // before anything is written
		return false, err
	}
	if err := writeImages(ctx, files); err != nil {
		return false, err
	}
	for k, v := range site.Defaults().Map() {
		if settings[k] == "" {
			if err := db.SetSetting(ctx, k, v); err != nil {
				return false, err
			}
		}
	}
	if err := loadSections(ctx, db); err != nil {
		return false, err
	}
	if err := loadAuthors(ctx, db); err != nil {
		return false, err
	}
	if err := loadPages(ctx, db, now); err != nil {
		return false, err
	}
	if err := loadArticles(ctx, db, now); err != nil {
		return false, err
	}
	if err := db.SetSetting(ctx, settingDemo, Version); err != nil {
		return false, err
	}
	return true, nil
}

func loadSections(ctx context.Context, db Store) error {
	existing, err := db.Sections(ctx)
	if err != nil {
		return err
	}
	tree := section.NewTree(existing)
	for i, s := range sections {
		if _, ok := tree.ByPath(s.path); ok {
			continue
		}
		sec := section.Section{Slug: path.Base(s.path), Name: s.name, NameKo: s.nameKo, Description: s.description, Position: i}
		if parent := path.Dir(s.path); parent != "." {
			p, ok := tree.ByPath(parent)
			if !ok {
				return fmt.Errorf("demo: parent of %s missing", s.path)
			}
			sec.ParentID = p.ID
		}
		if err := db.CreateSection(ctx, &sec); err != nil {
			return err
		}
		existing = append(existing, sec)
		tree = section.NewTree(existing)
	}
	return nil
}

func loadAuthors(ctx context.Context, db Store) error {
	existing, err := db.Authors(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, a := range existing {
		have[a.Email] = true
	}
	b, err := content.ReadFile("content/authors.txt")
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		f := strings.Split(sc.Text(), " | ")
		if len(f) != 5 {
			continue
		}
		a := author.Author{Slug: f[0], Name: f[1], Title: f[2], Email: f[3], Bio: f[4]}
		if have[a.Email] {
			continue
		}
		if err := db.SaveAuthor(ctx, &a); err != nil {
			return err
		}
	}
	return sc.Err()
}

func loadPages(ctx context.Context, db Store, now time.Time) error {
	files, err := fs.Glob(content, "content/pages/*.md")
	if err != nil {
		return err
	}
	for _, f := range files {
		slug := strings.TrimSuffix(path.Base(f), ".md")
		if _, err := db.PageBySlug(ctx, slug); err == nil {
			continue
		} else if !errors.Is(err, page.ErrNotFound) {
			return err
		}
		head, body, err := readDoc(f)
		if err != nil {
			return err
		}
		html, err := article.RenderMarkdown(body)
		if err != nil {
			return err
		}
		p := page.Page{Slug: slug, Title: head["title"], TitleKo: head["title_ko"], Body: body, BodyHTML: html, UpdatedAt: now.UTC().Truncate(time.Millisecond)}
		if err := db.SavePage(ctx, &p); err != nil {
			return err
		}
	}
	return nil
}

// topPicks are the demo's editor-picked top stories, in order.
var topPicks = []string{"01-", "09-", "15-", "32-", "38-"}

func loadArticles(ctx context.Context, db Store, now time.Time) error {
	authors, err := db.Authors(ctx)
	if err != nil {
		return err
	}
	bySlug := map[string]author.Author{}
	for _, a := range authors {
		bySlug[a.Slug] = a
	}
	files, err := fs.Glob(content, "content/articles/*.md")
	if err != nil {
		return err
	}
	have, err := demoArticles(ctx, db)
	if err != nil {
		return err
	}
	editor := account.Staff{Role: account.Admin}
	picked := map[string]int64{}
	byFile := map[string]int64{}
	pairs := map[string]map[string]string{} // file: its head, for the articles with a counterpart
	var created []article.Article
	for _, f := range files {
		head, body, err := readDoc(f)
		if err != nil {
			return err
		}
		if head["counterpart"] != "" {
			pairs[f] = head
		}
		id, ok := have[head["headline"]]
		if !ok {
			in, err := articleInput(head, body, bySlug, now)
			if err != nil {
				return fmt.Errorf("demo: %s: %w", f, err)
			}
			// Saved "at" its publication time, so it does not show as updated.
			svc := article.NewService(db, cache.Nop{}, func() time.Time { return in.PublishedAt })
			a, err := svc.Create(ctx, editor, in)
			if err != nil {
				return fmt.Errorf("demo: %s: %w", f, err)
			}
			id = a.ID
			created = append(created, a)
		}
		byFile[path.Base(f)] = id
		for _, p := range topPicks {
			if strings.HasPrefix(path.Base(f), p) {
				picked[p] = id
			}
		}
	}
	// A translation names its original by file ("counterpart:"), paired
	// once both are stored.
	svc := article.NewService(db, cache.Nop{}, nil)
	for f, head := range pairs {
		other, ok := byFile[head["counterpart"]]
		if !ok {
			return fmt.Errorf("demo: %s: no article file %q", f, head["counterpart"])
		}
		t := article.Translation{Language: head["language"], CounterpartID: other}
		if _, err := svc.SetTranslation(ctx, editor, byFile[path.Base(f)], t); err != nil {
			return fmt.Errorf("demo: %s: %w", f, err)
		}
	}
	// Each article chose its related articles among those loaded before
	// it; now that all are in, choose again among all.
	for _, a := range created {
		if err := db.ComputeRelated(ctx, a, article.RelatedCount); err != nil {
			return err
		}
	}
	if top, err := db.TopStories(ctx, 1); err != nil || len(top) > 0 {
		return err // the editors' picks stand
	}
	var ids []int64
	for _, p := range topPicks {
		if id, ok := picked[p]; ok {
			ids = append(ids, id)
		}
	}
	return db.SetTopStories(ctx, ids)
}

// demoArticles maps the headlines of the demo articles already stored
// (a load cut short earlier) to their ids. Any other article is the
// newsroom's own, and then the demo stays out: ErrNotEmpty.
func demoArticles(ctx context.Context, db Store) (map[string]int64, error) {
	files, err := fs.Glob(content, "content/articles/*.md")
	if err != nil {
		return nil, err
	}
	ours := map[string]bool{}
	for _, f := range files {
		head, _, err := readDoc(f)
		if err != nil {
			return nil, err
		}
		ours[head["headline"]] = true
	}
	existing, err := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Limit: len(files) + 1})
	if err != nil {
		return nil, err
	}
	have := map[string]int64{}
	for _, a := range existing {
		if !ours[a.Headline] {
			return nil, ErrNotEmpty
		}
		have[a.Headline] = a.ID
	}
	return have, nil
}

func articleInput(head map[string]string, body string, authors map[string]author.Author, now time.Time) (article.Input, error) {
	hours, err := strconv.Atoi(head["hours_ago"])
	if err != nil {
		return article.Input{}, fmt.Errorf("hours_ago: %w", err)
	}
	in := article.Input{
		Headline: head["headline"], Deck: head["deck"], Body: body, Section: head["section"],
		Status: article.Published, PublishedAt: now.Add(-time.Duration(hours) * time.Hour),
	}
	for _, slug := range splitList(head["authors"]) {
		a, ok := authors[slug]
		if !ok {
			return article.Input{}, fmt.Errorf("unknown author %q", slug)
		}
		in.Authors = append(in.Authors, article.Byline{Name: a.Name, Email: a.Email})
	}
	in.Tags = splitList(head["tags"])
	if img := head["image"]; img != "" {
		in.LeadImage = article.Image{URL: "/media/demo/" + img + ".png", Caption: head["caption"], Credit: head["credit"], Alt: head["alt"]}
	}
	return in, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// readDoc splits a content file into its "key: value" header and the
// Markdown body after the "---" line.
func readDoc(name string) (map[string]string, string, error) {
	b, err := content.ReadFile(name)
	if err != nil {
		return nil, "", err
	}
	head, body, ok := strings.Cut(string(b), "\n---\n")
	if !ok {
		return nil, "", fmt.Errorf("demo: %s has no --- line", name)
	}
	meta := map[string]string{}
	for _, line := range strings.Split(head, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			meta[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return meta, strings.TrimSpace(body) + "\n", nil
}
