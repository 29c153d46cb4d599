package ghost

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/importer"
)

// post is a row of Ghost's posts table, as far as the import reads it.
type post struct {
	ID            flexID          `json:"id"`
	Title         string          `json:"title"`
	Slug          string          `json:"slug"`
	HTML          string          `json:"html"`
	Mobiledoc     string          `json:"mobiledoc"`
	Lexical       string          `json:"lexical"`
	Markdown      string          `json:"markdown"` // 0.x and 1.x
	Type          string          `json:"type"`
	Page          json.RawMessage `json:"page"` // 2.x: true, false, 1 or 0
	Status        string          `json:"status"`
	Visibility    string          `json:"visibility"`
	CustomExcerpt string          `json:"custom_excerpt"`
	FeatureImage  string          `json:"feature_image"`
	// Ghost 4.x and later keep these in posts_meta; a few tools write
	// them on the post.
	FeatureImageAlt     string          `json:"feature_image_alt"`
	FeatureImageCaption string          `json:"feature_image_caption"`
	PublishedAt         json.RawMessage `json:"published_at"`
	UpdatedAt           json.RawMessage `json:"updated_at"`
	CreatedAt           json.RawMessage `json:"created_at"`
	AuthorID            flexID          `json:"author_id"` // 2.x and older
}

// record maps the post to the importer's Post.
func (p *post) record(t *tables, mediaDir string) (*importer.Post, error) {
	if p.ID == "" {
		return nil, errors.New("the post has no id")
	}
	title := strings.TrimSpace(p.Title)
	slug := strings.Trim(strings.TrimSpace(p.Slug), "/")
	out := &importer.Post{
		SourceID: string(p.ID),
		Kind:     importer.KindArticle,
		Title:    title,
		Slug:     slug,
		Excerpt:  strings.TrimSpace(p.CustomExcerpt),
	}
	switch {
	case p.Type == "page":
		out.Kind = importer.KindPage
	case p.Type == "post":
	case p.Type == "":
		page, err := flag(p.Page)
		if err != nil {
			return nil, err
		}
		if page {
			out.Kind = importer.KindPage
		}
	default:
		return nil, fmt.Errorf("the post's type %q is neither \"post\" nor \"page\"", p.Type)
	}

	body, err := p.body()
	if err != nil {
		return nil, err
	}
	out.HTML = body
	if title == "" {
		if strings.TrimSpace(body) == "" {
			return nil, errors.New("the post has neither a title nor a body")
		}
		return nil, errors.New("the post has no title")
	}
	if slug == "" {
		return nil, fmt.Errorf("the post %q has no slug, so its old address is unknown", title)
	}

	switch p.Status {
	case "published", "sent": // "sent": a newsletter that was also published
		out.Status = importer.StatusPublished
	case "scheduled":
		out.Status = importer.StatusScheduled
	case "draft":
		out.Status = importer.StatusDraft
	case "":
		return nil, fmt.Errorf("the post %q has no status", title)
	default:
		return nil, fmt.Errorf("the post %q has the status %q, which Ghost does not write (published, scheduled, draft or sent)", title, p.Status)
	}
	if v := strings.TrimSpace(p.Visibility); v != "" && v != "public" {
		// members, paid, tiers or a filter: kept from the public in Ghost.
		out.Status = importer.StatusPrivate
	}

	if out.PublishedAt, err = date("published_at", p.PublishedAt); err != nil {
		return nil, err
	}
	if out.UpdatedAt, err = date("updated_at", p.UpdatedAt); err != nil {
		return nil, err
	}
	created, err := date("created_at", p.CreatedAt)
	if err != nil {
		return nil, err
	}
	if out.PublishedAt.IsZero() && (p.Status == "published" || p.Status == "sent") {
		out.PublishedAt = created
	}
	if out.PublishedAt.IsZero() && p.Status != "draft" {
		return nil, fmt.Errorf("the post %q is %s but has no published_at date", title, p.Status)
	}
	if out.UpdatedAt.IsZero() {
		out.UpdatedAt = created
	}

	out.AuthorSourceIDs = t.postAuthors[out.SourceID]
	if len(out.AuthorSourceIDs) == 0 && p.AuthorID != "" && t.userIDs[string(p.AuthorID)] {
		out.AuthorSourceIDs = []string{string(p.AuthorID)}
	}
	for i, id := range t.postTags[out.SourceID] {
		tg := t.tagByID[id]
		if !tg.public() {
			continue
		}
		if i == 0 {
			out.SectionSourceID = id
		}
		out.TagSourceIDs = append(out.TagSourceIDs, id)
	}

	if img := strings.TrimSpace(p.FeatureImage); img != "" {
		alt, caption := p.FeatureImageAlt, p.FeatureImageCaption
		if m, ok := t.meta[out.SourceID]; ok {
			alt, caption = m.FeatureImageAlt, m.FeatureImageCaption
		}
		out.LeadImage = &importer.Image{
			URL:     siteRelative(img),
			File:    mediaFile(mediaDir, img),
			Alt:     alt,
			Caption: siteRelative(caption),
		}
	}
	out.OldPaths = []string{"/" + slug + "/"}
	return out, nil
}

// body is the post's HTML: Ghost's own rendering when the export has it,
// else the Lexical or Mobiledoc document rendered here. Ghost writes
// "__GHOST_URL__" for the site's address in 4.x and later; it is taken
// out, leaving addresses on the old site as paths.
func (p *post) body() (string, error) {
	var (
		html string
		err  error
	)
	switch {
	case strings.TrimSpace(p.HTML) != "":
		html = p.HTML
	case strings.TrimSpace(p.Lexical) != "":
		html, err = renderLexical(p.Lexical)
	case strings.TrimSpace(p.Mobiledoc) != "":
		html, err = renderMobiledoc(p.Mobiledoc)
	case strings.TrimSpace(p.Markdown) != "":
		var o out
		err = o.markdown(p.Markdown)
		html = o.String()
	}
	if err != nil {
		return "", err
	}
	return siteRelative(html), nil
}

// siteRelative takes Ghost's placeholder for the site's address out.
func siteRelative(s string) string {
	return strings.ReplaceAll(s, "__GHOST_URL__", "")
}

// flag reads 2.x's page column: true/false, or 1/0 from older databases.
func flag(raw json.RawMessage) (bool, error) {
	switch strings.TrimSpace(string(raw)) {
	case "", "null", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, fmt.Errorf("the post's page flag is %s, not true or false", raw)
}

// layouts are the ways Ghost has written a time: ISO 8601 with
// milliseconds and Z (3.x and later), without milliseconds or with an
// offset, and the database's own "2019-03-04 10:20:30" (2.x and older,
// in UTC).
var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.000Z0700",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05.000",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
}

// date reads a time field: an ISO 8601 string, one of the older forms
// in layouts, or milliseconds since 1970 (Ghost 0.x and 1.x); null is
// the zero time.
func date(field string, raw json.RawMessage) (time.Time, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" || s == `""` {
		return time.Time{}, nil
	}
	if s[0] != '"' {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil || ms < 0 || ms > 253402300799999 { // up to 9999-12-31
			return time.Time{}, fmt.Errorf("%s is %s, which is not a date", field, s)
		}
		return time.UnixMilli(ms).UTC(), nil
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return time.Time{}, fmt.Errorf("%s is %s, which is not a date", field, s)
	}
	v = strings.TrimSpace(v)
	for _, l := range layouts {
		if t, err := time.Parse(l, v); err == nil {
			// The year in UTC: 9999-12-31T23:00:00-05:00 is in 10000,
			// which no date here can be.
			if y := t.UTC().Year(); y < 1900 || y > 9999 {
				break
			}
			return t.UTC(), nil
		}
	}
	if len(v) > 60 {
		v = v[:60] + "…"
	}
	return time.Time{}, fmt.Errorf("%s is %q, which is not a date Ghost writes (such as 2024-03-01T09:30:00.000Z)", field, v)
}
