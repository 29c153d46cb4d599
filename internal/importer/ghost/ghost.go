// Package ghost reads a Ghost JSON export (Ghost 2.x to 5.x, from
// Settings → Labs → Export, or a backup's content/data/*.json) into the
// importer's records.
//
// The file is read twice per Scan, streaming both times with the
// decoder's token API: the first pass keeps the small tables (users,
// tags, and the posts_tags, posts_authors and posts_meta joins), the
// second reads the posts one at a time. A post is never held beside
// another, so memory grows with the number of tags and authors, not with
// the archive.
package ghost

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"broadsheet/internal/importer"
)

// MaxRecord bounds the bytes of one entry of the export (a post with its
// bodies, a user, one row of a table the import does not read). The
// decoder holds a whole entry in memory before it is read, so an entry
// past this is refused rather than loaded.
const MaxRecord = 64 << 20

// Source is one Ghost export file.
type Source struct {
	path      string
	mediaDir  string
	maxRecord int64
}

// Open checks that path is a file that can be read and returns the
// Source for it. mediaDir, "" for none, is where Ghost's images were
// copied (the content/images folder of a Ghost install, or the content
// folder above it); a lead image found there gets its File.
func Open(path, mediaDir string) (*Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ghost: %w", err)
	}
	fi, err := f.Stat()
	_ = f.Close()
	if err != nil {
		return nil, fmt.Errorf("ghost: %w", err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("ghost: %s is a folder, not a Ghost export file (.json)", path)
	}
	if mediaDir != "" {
		di, err := os.Stat(mediaDir)
		if err != nil {
			return nil, fmt.Errorf("ghost: media folder: %w", err)
		}
		if !di.IsDir() {
			return nil, fmt.Errorf("ghost: media folder %s is not a folder", mediaDir)
		}
	}
	return &Source{path: path, mediaDir: mediaDir, maxRecord: MaxRecord}, nil
}

// Name is the key of the source's ids.
func (s *Source) Name() string { return "ghost" }

// Scan reads the file afresh and calls fn with its authors, then the
// sections (every tag that is some post's primary tag), then the public
// tags, then the posts and pages.
func (s *Source) Scan(ctx context.Context, fn func(importer.Record) error) error {
	t, err := s.readTables(ctx)
	if err != nil {
		return err
	}
	sc := scan{ctx: ctx, fn: fn, t: t, mediaDir: s.mediaDir}
	for _, u := range t.users {
		a, err := u.author()
		if err := sc.emit(a, string(u.ID), err); err != nil {
			return err
		}
	}
	for _, tg := range t.tags {
		if !t.primary[string(tg.ID)] {
			continue
		}
		sec, err := tg.section()
		if err := sc.emit(sec, string(tg.ID), err); err != nil {
			return err
		}
	}
	for _, tg := range t.tags {
		if !tg.public() {
			continue
		}
		tag, err := tg.tag()
		if err := sc.emit(tag, string(tg.ID), err); err != nil {
			return err
		}
	}
	return s.readPosts(ctx, &sc)
}

// scan is one Scan's state: the tables of the first pass and the count
// of records so far.
type scan struct {
	ctx      context.Context
	fn       func(importer.Record) error
	t        *tables
	mediaDir string
	n        int // records passed to fn
}

// emit passes r to fn, or refuses the file at r with reason's text.
func (sc *scan) emit(r importer.Record, id string, reason error) error {
	if err := sc.ctx.Err(); err != nil {
		return err
	}
	sc.n++
	if reason != nil {
		return &importer.Error{Record: sc.n, ID: id, Reason: reason.Error()}
	}
	return sc.fn(r)
}

// tables are what the first pass keeps.
type tables struct {
	users   []user
	tags    []tag
	tagByID map[string]*tag
	userIDs map[string]bool
	primary map[string]bool // tag ids that are a post's primary tag
	// postTags and postAuthors are each post's ids in sort_order.
	postTags    map[string][]string
	postAuthors map[string][]string
	meta        map[string]postMeta
	version     string
	found       bool // a "data" object with a "posts" table was seen
}

type user struct {
	ID    flexID `json:"id"`
	Name  string `json:"name"`
	Slug  string `json:"slug"`
	Email string `json:"email"`
	Bio   string `json:"bio"`
}

func (u *user) author() (*importer.Author, error) {
	if u.ID == "" {
		return nil, errors.New("a user has no id")
	}
	name := strings.TrimSpace(u.Name)
	if name == "" {
		name = strings.TrimSpace(u.Slug)
	}
	if name == "" {
		return nil, errors.New("the user has neither a name nor a slug")
	}
	return &importer.Author{SourceID: string(u.ID), Name: name, Email: strings.TrimSpace(u.Email), Slug: u.Slug, Bio: u.Bio}, nil
}

type tag struct {
	ID          flexID `json:"id"`
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Description string `json:"description"`
	Visibility  string `json:"visibility"`
}

// public tells a tag readers see from an internal one (Ghost's "#name"
// tags, used for routing and themes).
func (t *tag) public() bool {
	return t.Visibility != "internal" && !strings.HasPrefix(strings.TrimSpace(t.Name), "#")
}

func (t *tag) check() error {
	if t.ID == "" {
		return errors.New("a tag has no id")
	}
	if strings.TrimSpace(t.Name) == "" {
		return errors.New("the tag has no name")
	}
	if strings.TrimSpace(t.Slug) == "" {
		return errors.New("the tag has no slug")
	}
	return nil
}

func (t *tag) section() (*importer.Section, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	return &importer.Section{SourceID: string(t.ID), Slug: t.Slug, Name: strings.TrimSpace(t.Name), Description: t.Description}, nil
}

func (t *tag) tag() (*importer.Tag, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	return &importer.Tag{SourceID: string(t.ID), Slug: t.Slug, Name: strings.TrimSpace(t.Name)}, nil
}

// join is a row of posts_tags or posts_authors.
type join struct {
	PostID    flexID  `json:"post_id"`
	TagID     flexID  `json:"tag_id"`
	AuthorID  flexID  `json:"author_id"`
	SortOrder float64 `json:"sort_order"`
}

// postMeta is the part of a posts_meta row the import uses (Ghost 4.x
// and later keep a lead image's alt text and caption there).
type postMeta struct {
	PostID              flexID `json:"post_id"`
	FeatureImageAlt     string `json:"feature_image_alt"`
	FeatureImageCaption string `json:"feature_image_caption"`
}

// readTables is the first pass.
func (s *Source) readTables(ctx context.Context) (*tables, error) {
	t := &tables{
		tagByID:     map[string]*tag{},
		userIDs:     map[string]bool{},
		primary:     map[string]bool{},
		postTags:    map[string][]string{},
		postAuthors: map[string][]string{},
		meta:        map[string]postMeta{},
	}
	type sorted struct {
		post, other string
		order       float64
	}
	var postsTags, postsAuthors []sorted
	seenTags := map[string]bool{}
	first := func() int { return 1 } // nothing is passed on before the tables are read
	err := s.walk(ctx, first, func(r *reader, table string) (bool, error) {
		switch table {
		case "users":
			return true, r.each(func() error {
				var u user
				if err := r.entryInto(&u, "user"); err != nil {
					return err
				}
				if u.ID != "" && t.userIDs[string(u.ID)] {
					return nil
				}
				t.userIDs[string(u.ID)] = true
				t.users = append(t.users, u)
				return nil
			})
		case "tags":
			return true, r.each(func() error {
				var tg tag
				if err := r.entryInto(&tg, "tag"); err != nil {
					return err
				}
				if tg.ID != "" && seenTags[string(tg.ID)] {
					return nil
				}
				seenTags[string(tg.ID)] = true
				t.tags = append(t.tags, tg)
				return nil
			})
		case "posts_tags", "posts_authors":
			return true, r.each(func() error {
				var j join
				if err := r.entryInto(&j, table+" row"); err != nil {
					return err
				}
				if table == "posts_tags" {
					postsTags = append(postsTags, sorted{string(j.PostID), string(j.TagID), j.SortOrder})
				} else {
					postsAuthors = append(postsAuthors, sorted{string(j.PostID), string(j.AuthorID), j.SortOrder})
				}
				return nil
			})
		case "posts_meta":
			return true, r.each(func() error {
				var m postMeta
				if err := r.entryInto(&m, "posts_meta row"); err != nil {
					return err
				}
				if m.FeatureImageAlt != "" || m.FeatureImageCaption != "" {
					t.meta[string(m.PostID)] = m
				}
				return nil
			})
		case "posts":
			t.found = true
		}
		return false, nil
	}, func(version string) { t.version = version })
	if err != nil {
		return nil, err
	}
	if !t.found {
		return nil, notGhost("it has no \"posts\" table")
	}
	for i := range t.tags {
		t.tagByID[string(t.tags[i].ID)] = &t.tags[i]
	}
	// Ghost orders a post's tags and authors by sort_order; rows with the
	// same order (or none, in old exports) keep the file's order.
	cmpOrder := func(a, b sorted) int {
		if c := strings.Compare(a.post, b.post); c != 0 {
			return c
		}
		switch {
		case a.order < b.order:
			return -1
		case a.order > b.order:
			return 1
		}
		return 0
	}
	slices.SortStableFunc(postsTags, cmpOrder)
	slices.SortStableFunc(postsAuthors, cmpOrder)
	for _, j := range postsTags {
		tg := t.tagByID[j.other]
		if tg == nil || slices.Contains(t.postTags[j.post], j.other) {
			continue
		}
		if len(t.postTags[j.post]) == 0 && tg.public() {
			// Ghost's primary tag is a post's first tag, when it is public.
			t.primary[j.other] = true
		}
		t.postTags[j.post] = append(t.postTags[j.post], j.other)
	}
	for _, j := range postsAuthors {
		if !t.userIDs[j.other] || slices.Contains(t.postAuthors[j.post], j.other) {
			continue
		}
		t.postAuthors[j.post] = append(t.postAuthors[j.post], j.other)
	}
	return t, nil
}

// readPosts is the second pass.
func (s *Source) readPosts(ctx context.Context, sc *scan) error {
	return s.walk(ctx, func() int { return sc.n + 1 }, func(r *reader, table string) (bool, error) {
		if table != "posts" {
			return false, nil
		}
		return true, r.each(func() error {
			var p post
			if err := r.entryInto(&p, "post"); err != nil {
				var ie *importer.Error
				if errors.As(err, &ie) && p.ID != "" {
					ie.ID = string(p.ID)
				}
				return err
			}
			rec, err := p.record(sc.t, sc.mediaDir)
			return sc.emit(rec, string(p.ID), err)
		})
	}, nil)
}

// notGhost refuses a file that is not a Ghost export.
func notGhost(why string) error {
	return &importer.Error{Record: 1, Reason: "this is not a Ghost export: " + why + " (in Ghost Admin's settings, use Export your content)"}
}

// mediaFile is the path, relative to dir, of the file under dir that a
// Ghost image address names, or "" when dir is "" or the file is not
// there: the importer looks for a lead image's File under the media
// folder it is given, the same dir. An address of Ghost's own
// images (__GHOST_URL__/content/images/…, /content/images/…, or a full
// address with that path) is looked for under dir itself, dir/images and
// dir/content/images.
func mediaFile(dir, address string) string {
	if dir == "" {
		return ""
	}
	const marker = "/content/images/"
	rest := ""
	switch {
	case strings.HasPrefix(address, "__GHOST_URL__"+marker):
		rest = strings.TrimPrefix(address, "__GHOST_URL__"+marker)
	case strings.HasPrefix(address, marker):
		rest = strings.TrimPrefix(address, marker)
	case strings.HasPrefix(address, "http://") || strings.HasPrefix(address, "https://"):
		afterScheme := address[strings.Index(address, "//")+2:]
		slash := strings.IndexByte(afterScheme, '/')
		if slash < 0 || !strings.HasPrefix(afterScheme[slash:], marker) {
			return ""
		}
		rest = afterScheme[slash+len(marker):]
	default:
		return ""
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	rel := filepath.FromSlash(rest)
	if rest == "" || !filepath.IsLocal(rel) {
		return ""
	}
	for _, base := range []string{"", "images", filepath.Join("content", "images")} {
		p := filepath.Join(base, rel)
		if fi, err := os.Stat(filepath.Join(dir, p)); err == nil && fi.Mode().IsRegular() {
			return filepath.ToSlash(p)
		}
	}
	return ""
}
