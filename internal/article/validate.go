package article

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"broadsheet/internal/account"
)

// Limits on article fields, enforced on every save.
const (
	MaxHeadline = 300
	MaxDeck     = 600
	MaxBody     = 512 << 10 // bytes of Markdown
	MaxAuthors  = 10
	MaxTags     = 20
	MaxTagLen   = 60
	MaxCaption  = 1000
	MaxNameLen  = 120
	MaxURLLen   = 2000
	MaxSlug     = maxSlugLen
	MaxAlsoIn   = 5
	MaxSEOTitle = 120
	MaxSEODesc  = 320
)

const bodyTooLong = "is longer than 512 KiB; at most 512 KiB are allowed"

// Input is what the newsroom sends to create or replace an article.
type Input struct {
	Headline string
	Deck     string
	Body     string
	Section  string // path, e.g. "national/politics"
	// AlsoIn are the paths of other sections whose fronts also list the
	// article.
	AlsoIn      []string
	Authors     []Byline
	Tags        []string
	LeadImage   Image
	Status      Status
	PublishedAt time.Time // zero: now, when published; the time to publish, when scheduled
	// Slug replaces the address's readable part; "" keeps it (or, before
	// publication, derives it from the headline). Old addresses redirect.
	Slug           string
	SEOTitle       string
	SEODescription string
}

// Byline names an author; authors are matched or created by email.
type Byline struct {
	Name  string
	Email string
}

// ValidationError maps each invalid field to a message a person can act on.
type ValidationError map[string]string

func (v ValidationError) Error() string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + v[k]
	}
	return "invalid article: " + strings.Join(parts, "; ")
}

// Normalize trims the input's text fields and validates them. It returns a
// ValidationError listing every problem at once.
func (in *Input) Normalize() error {
	v := ValidationError{}
	in.Headline = strings.TrimSpace(in.Headline)
	in.Deck = strings.TrimSpace(in.Deck)
	in.Section = strings.Trim(strings.TrimSpace(in.Section), "/")
	checkText(v, "headline", in.Headline, MaxHeadline, true)
	checkText(v, "deck", in.Deck, MaxDeck, false)
	switch {
	case strings.TrimSpace(in.Body) == "":
		v["body"] = "must not be empty"
	case len(in.Body) > MaxBody:
		v["body"] = bodyTooLong
	case !utf8.ValidString(in.Body):
		v["body"] = "is not valid UTF-8 text"
	default:
		if msg := checkShape(in.Body); msg != "" {
			v["body"] = msg
		}
	}
	also := in.AlsoIn[:0]
	seenSec := map[string]bool{in.Section: true}
	for _, p := range in.AlsoIn {
		p = strings.Trim(strings.TrimSpace(p), "/")
		if p != "" && !seenSec[p] {
			seenSec[p] = true
			also = append(also, p)
		}
	}
	in.AlsoIn = also
	if len(in.AlsoIn) > MaxAlsoIn {
		v["also_in"] = fmt.Sprintf("may name at most %d other sections", MaxAlsoIn)
	}
	if in.Section == "" {
		v["section"] = "must name a section, such as national/politics"
	}
	switch in.Status {
	case "":
		in.Status = Draft
	case Draft, Review, Scheduled, Published:
	default:
		v["status"] = `must be "draft", "review", "scheduled" or "published"`
	}
	in.Slug = strings.TrimSpace(in.Slug)
	if in.Slug != "" && (len(in.Slug) > MaxSlug || Slugify(in.Slug) != in.Slug) {
		v["slug"] = "must be lower-case letters, digits and single hyphens, at most 80 characters, such as budget-vote-delayed"
	}
	in.SEOTitle = strings.TrimSpace(in.SEOTitle)
	in.SEODescription = strings.TrimSpace(in.SEODescription)
	checkText(v, "seo_title", in.SEOTitle, MaxSEOTitle, false)
	checkText(v, "seo_description", in.SEODescription, MaxSEODesc, false)
	if !in.PublishedAt.IsZero() && (in.PublishedAt.Year() < 1900 || in.PublishedAt.Year() > 9999) {
		v["published_at"] = "must be a date between 1900 and 9999"
	}
	in.normalizeAuthors(v)
	in.normalizeTags(v)
	in.normalizeImage(v)
	if len(v) > 0 {
		return v
	}
	return nil
}

func (in *Input) normalizeAuthors(v ValidationError) {
	if len(in.Authors) == 0 {
		v["authors"] = "must list at least one author"
		return
	}
	if len(in.Authors) > MaxAuthors {
		v["authors"] = "may list at most 10 authors"
		return
	}
	seen := map[string]bool{}
	for i := range in.Authors {
		a := &in.Authors[i]
		a.Name = strings.TrimSpace(a.Name)
		email, err := account.NormalizeEmail(a.Email)
		switch {
		case a.Name == "" || utf8.RuneCountInString(a.Name) > MaxNameLen || !utf8.ValidString(a.Name):
			v["authors"] = "every author needs a name of at most 120 characters"
		case err != nil:
			v["authors"] = err.Error()
		case seen[email]:
			v["authors"] = "lists " + email + " twice"
		}
		a.Email = email
		seen[email] = true
	}
}

func (in *Input) normalizeTags(v ValidationError) {
	if len(in.Tags) > MaxTags {
		v["tags"] = "may list at most 20 tags"
		return
	}
	out := in.Tags[:0]
	seen := map[string]bool{}
	for _, t := range in.Tags {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if utf8.RuneCountInString(t) > MaxTagLen || !utf8.ValidString(t) {
			v["tags"] = "each tag must be at most 60 characters"
			return
		}
		if s := Slugify(t); !seen[s] {
			seen[s] = true
			out = append(out, t)
		}
	}
	in.Tags = out
}

func (in *Input) normalizeImage(v ValidationError) {
	img := &in.LeadImage
	img.URL = strings.TrimSpace(img.URL)
	img.Alt = strings.TrimSpace(img.Alt)
	img.Caption = strings.TrimSpace(img.Caption)
	img.Credit = strings.TrimSpace(img.Credit)
	if img.URL == "" {
		if img.Alt+img.Caption+img.Credit != "" {
			v["lead_image.url"] = "is needed when a caption, credit or alt text is given"
		}
		return
	}
	if !safeImageURL(img.URL) {
		v["lead_image.url"] = "must be an http(s) URL or a path starting with /"
	}
	if img.Alt == "" {
		v["lead_image.alt"] = "must describe the image for readers who cannot see it"
	}
	checkText(v, "lead_image.alt", img.Alt, MaxCaption, false)
	checkText(v, "lead_image.caption", img.Caption, MaxCaption, false)
	checkText(v, "lead_image.credit", img.Credit, MaxNameLen, false)
}

func safeImageURL(s string) bool {
	if len(s) > MaxURLLen {
		return false
	}
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") {
		return !strings.ContainsAny(s, "\\\x00")
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func checkText(v ValidationError, field, s string, max int, required bool) {
	switch {
	case required && s == "":
		v[field] = "must not be empty"
	case !utf8.ValidString(s):
		v[field] = "is not valid UTF-8 text"
	case utf8.RuneCountInString(s) > max:
		v[field] = fmt.Sprintf("must be at most %d characters", max)
	case strings.ContainsAny(s, "\x00\r\n") && field != "lead_image.caption":
		v[field] = "must be a single line of text"
	}
}
