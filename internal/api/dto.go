package api

import (
	"strconv"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/dictionary"
	"broadsheet/internal/glossary"
	"broadsheet/internal/page"
	"broadsheet/internal/section"
)

// The API's JSON shapes. Domain types carry no json tags; these do, so
// the wire format changes only when this file does.

type bylineDTO struct {
	ID    int64  `json:"id,omitempty"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Slug  string `json:"slug,omitempty"`
	URL   string `json:"url,omitempty"`
}

type imageDTO struct {
	URL     string `json:"url"`
	Caption string `json:"caption"`
	Credit  string `json:"credit"`
	Alt     string `json:"alt"`
}

// articleRequest is the body of POST and PATCH /articles. Pointers tell an
// absent field (keep, on PATCH) from an empty one.
type articleRequest struct {
	Headline    *string      `json:"headline"`
	Deck        *string      `json:"deck"`
	Body        *string      `json:"body"`
	Section     *string      `json:"section"`
	Authors     *[]bylineDTO `json:"authors"`
	Tags        *[]string    `json:"tags"`
	LeadImage   *imageDTO    `json:"lead_image"`
	Status      *string      `json:"status"`
	PublishedAt *time.Time   `json:"published_at"`
	Version     *int         `json:"version"`
	// Language and CounterpartID are set by the article service's
	// SetTranslation, not by a save: see translation.
	Language      *string `json:"language"`
	CounterpartID *int64  `json:"counterpart_id"`
}

// translation is the article's language and counterpart after the
// request: a field it does not name keeps a's value. changed is false
// when it names neither.
func (req articleRequest) translation(a article.Article) (t article.Translation, changed bool) {
	t = article.Translation{Language: article.LanguageOf(a), CounterpartID: a.CounterpartID}
	if req.Language != nil {
		t.Language = *req.Language
	}
	if req.CounterpartID != nil {
		t.CounterpartID = *req.CounterpartID
	}
	return t, req.Language != nil || req.CounterpartID != nil
}

// namesArticleFields reports a request that changes more than the
// article's language and counterpart, and so needs a save.
func (req articleRequest) namesArticleFields() bool {
	return req.Headline != nil || req.Deck != nil || req.Body != nil || req.Section != nil || req.Authors != nil ||
		req.Tags != nil || req.LeadImage != nil || req.Status != nil || req.PublishedAt != nil
}

// check refuses what apply cannot express: a published_at given as the
// zero time, which would otherwise read as "not given".
func (req articleRequest) check() error {
	if req.PublishedAt != nil && req.PublishedAt.Year() < 1900 {
		return invalid("published_at", "must be a date between 1900 and 9999")
	}
	return nil
}

// apply overlays the request's fields on in.
func (req articleRequest) apply(in *article.Input) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.Headline, req.Headline)
	set(&in.Deck, req.Deck)
	set(&in.Body, req.Body)
	set(&in.Section, req.Section)
	if req.Status != nil {
		in.Status = article.Status(*req.Status)
	}
	if req.Authors != nil {
		in.Authors = make([]article.Byline, len(*req.Authors))
		for i, b := range *req.Authors {
			in.Authors[i] = article.Byline{Name: b.Name, Email: b.Email}
		}
	}
	if req.Tags != nil {
		in.Tags = append([]string(nil), (*req.Tags)...)
	}
	if req.LeadImage != nil {
		im := *req.LeadImage
		in.LeadImage = article.Image{URL: im.URL, Caption: im.Caption, Credit: im.Credit, Alt: im.Alt}
	}
	if req.PublishedAt != nil {
		in.PublishedAt = *req.PublishedAt
	}
}

// inputOf is the Input that would recreate a stored article, the base a
// PATCH overlays: the fields the API's body cannot name (the search title
// and description, the other sections) are kept, not cleared. alsoIn are
// the paths of the article's other sections. The slug is left out, so a
// draft's address follows its headline as in the editor.
func inputOf(a article.Article, sectionPath string, alsoIn []string) article.Input {
	in := article.InputFromSnapshot(article.SnapshotOf(a), sectionPath)
	in.Slug = ""
	in.AlsoIn = alsoIn
	return in
}

type articleDTO struct {
	ID          int64       `json:"id"`
	URL         string      `json:"url"`
	Slug        string      `json:"slug"`
	Headline    string      `json:"headline"`
	Deck        string      `json:"deck"`
	Body        string      `json:"body,omitempty"`
	Section     string      `json:"section"`
	Status      string      `json:"status"`
	PublishedAt *time.Time  `json:"published_at"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	Authors     []bylineDTO `json:"authors,omitempty"`
	Tags        []string    `json:"tags,omitempty"`
	LeadImage   *imageDTO   `json:"lead_image"`
	Version     int         `json:"version"`
	Language    string      `json:"language"`
	// CounterpartID is the article's version in the other language, null
	// for none.
	CounterpartID *int64 `json:"counterpart_id"`
}

func articleOut(a article.Article, sectionPath string) articleDTO {
	d := articleDTO{
		ID: a.ID, URL: a.URL(), Slug: a.Slug, Headline: a.Headline, Deck: a.Deck, Body: a.Body,
		Section: sectionPath, Status: string(a.Status), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
		Version: a.Version, Language: article.LanguageOf(a),
	}
	if a.CounterpartID != 0 {
		id := a.CounterpartID
		d.CounterpartID = &id
	}
	if !a.PublishedAt.IsZero() {
		t := a.PublishedAt
		d.PublishedAt = &t
	}
	for _, au := range a.Authors {
		d.Authors = append(d.Authors, bylineDTO{ID: au.ID, Name: au.Name, Email: au.Email, Slug: au.Slug, URL: "/author/" + au.Slug})
	}
	for _, t := range a.Tags {
		d.Tags = append(d.Tags, t.Name)
	}
	if a.LeadImage.URL != "" {
		im := a.LeadImage
		img := imageDTO{URL: im.URL, Caption: im.Caption, Credit: im.Credit, Alt: im.Alt}
		d.LeadImage = &img
	}
	return d
}

type sectionDTO struct {
	ID          int64  `json:"id"`
	Slug        string `json:"slug"`
	Path        string `json:"path"`
	Name        string `json:"name"`
	NameKo      string `json:"name_ko"`
	Parent      string `json:"parent"`
	Description string `json:"description"`
	Position    int    `json:"position"`
	URL         string `json:"url"`
}

func sectionOut(s section.Section) sectionDTO {
	return sectionDTO{ID: s.ID, Slug: s.Slug, Path: s.Path, Name: s.Name, NameKo: s.NameKo, Parent: s.ParentPath(),
		Description: s.Description, Position: s.Position, URL: "/section/" + s.Path}
}

type sectionRequest struct {
	Slug        *string `json:"slug"`
	Name        *string `json:"name"`
	NameKo      *string `json:"name_ko"`
	Parent      *string `json:"parent"`
	Description *string `json:"description"`
	Position    *int    `json:"position"`
}

type authorDTO struct {
	ID    int64  `json:"id"`
	Slug  string `json:"slug"`
	Name  string `json:"name"`
	Title string `json:"title"`
	Email string `json:"email"`
	Bio   string `json:"bio"`
	URL   string `json:"url"`
}

func authorOut(a author.Author) authorDTO {
	return authorDTO{ID: a.ID, Slug: a.Slug, Name: a.Name, Title: a.Title, Email: a.Email, Bio: a.Bio, URL: "/author/" + a.Slug}
}

type authorRequest struct {
	Name  *string `json:"name"`
	Title *string `json:"title"`
	Email *string `json:"email"`
	Bio   *string `json:"bio"`
}

type pageDTO struct {
	Slug      string    `json:"slug"`
	Title     string    `json:"title"`
	TitleKo   string    `json:"title_ko"`
	Body      string    `json:"body,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
	URL       string    `json:"url"`
}

func pageOut(p page.Page) pageDTO {
	return pageDTO{Slug: p.Slug, Title: p.Title, TitleKo: p.TitleKo, Body: p.Body, UpdatedAt: p.UpdatedAt, URL: "/page/" + p.Slug}
}

type pageRequest struct {
	Title   *string `json:"title"`
	TitleKo *string `json:"title_ko"`
	Body    *string `json:"body"`
}

type settingsDTO struct {
	SiteName string `json:"site_name"`
	Locale   string `json:"locale"`
	TimeZone string `json:"timezone"`
}

type settingsRequest struct {
	SiteName *string `json:"site_name"`
	Locale   *string `json:"locale"`
	TimeZone *string `json:"timezone"`
}

type dictionaryDTO struct {
	Query    string            `json:"query"`
	Lemma    string            `json:"lemma"`
	Glossary []glossaryNoteDTO `json:"glossary"`
	Entries  []dictEntryDTO    `json:"entries"`
	// Analysis explains a word WordNet lacks by its parts; see analysisOut.
	Analysis *analysisDTO `json:"analysis,omitempty"`
}

// glossaryNoteDTO is a newsroom glossary entry as a look-up shows it.
type glossaryNoteDTO struct {
	Lang        string `json:"lang"`
	Translation string `json:"translation"`
	Note        string `json:"note"`
}

type dictEntryDTO struct {
	Lemma         string          `json:"lemma"`
	POS           string          `json:"pos"`
	Pronunciation string          `json:"pronunciation"` // IPA between slashes, "" when not known
	Definitions   []definitionDTO `json:"definitions"`
	Synonyms      []string        `json:"synonyms"`
}

type definitionDTO struct {
	Text     string   `json:"text"`
	Examples []string `json:"examples"`
	Fits     bool     `json:"fits"` // the sense that fits the look-up's context sentence
}

// dictionaryMissDTO is the 404 of a look-up: the error shape plus the
// nearest headwords.
type dictionaryMissDTO struct {
	Code        string   `json:"code"`
	Error       string   `json:"error"`
	Suggestions []string `json:"suggestions"`
}

// dictionaryOut is a look-up's answer: the glossary's entries (already in
// order) before WordNet's.
func dictionaryOut(r dictionary.Result, gl []glossary.Entry) dictionaryDTO {
	out := dictionaryDTO{Query: r.Query, Lemma: r.Lemma, Glossary: []glossaryNoteDTO{}, Entries: []dictEntryDTO{}}
	for _, e := range gl {
		out.Glossary = append(out.Glossary, glossaryNoteDTO{Lang: e.Lang, Translation: e.Translation, Note: e.Note})
	}
	for _, e := range r.Entries {
		de := dictEntryDTO{Lemma: e.Lemma, POS: e.POS, Pronunciation: e.Pronunciation, Definitions: []definitionDTO{}, Synonyms: []string{}}
		seen := map[string]bool{}
		for _, s := range e.Senses {
			ex := s.Examples
			if ex == nil {
				ex = []string{}
			}
			de.Definitions = append(de.Definitions, definitionDTO{Text: s.Definition, Examples: ex, Fits: s.Fits})
			for _, syn := range s.Synonyms {
				if !seen[syn] {
					seen[syn] = true
					de.Synonyms = append(de.Synonyms, syn)
				}
			}
		}
		out.Entries = append(out.Entries, de)
	}
	return out
}

type glossaryEntryDTO struct {
	ID          int64     `json:"id"`
	Headword    string    `json:"headword"`
	Lang        string    `json:"lang"`
	Translation string    `json:"translation"`
	Note        string    `json:"note"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func glossaryEntryOut(e glossary.Entry) glossaryEntryDTO {
	return glossaryEntryDTO{ID: e.ID, Headword: e.Headword, Lang: e.Lang, Translation: e.Translation, Note: e.Note,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
}

type glossaryListDTO struct {
	Entries []glossaryEntryDTO `json:"entries"`
	Next    string             `json:"next,omitempty"`
}

// glossaryRequest is the body of POST and PATCH /glossary. Pointers tell
// an absent field (keep, on PATCH) from an empty one.
type glossaryRequest struct {
	Headword    *string `json:"headword"`
	Lang        *string `json:"lang"`
	Translation *string `json:"translation"`
	Note        *string `json:"note"`
}

// apply overlays the request's fields on in.
func (req glossaryRequest) apply(in *glossary.Input) {
	for _, f := range []struct{ dst, src *string }{
		{&in.Headword, req.Headword}, {&in.Lang, req.Lang}, {&in.Translation, req.Translation}, {&in.Note, req.Note},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
}

type glossaryImportDTO struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

type topStoriesRequest struct {
	ArticleIDs []int64 `json:"article_ids"`
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
