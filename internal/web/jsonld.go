package web

import (
	"broadsheet/internal/article"
	"broadsheet/internal/section"
)

// JSON-LD for search engines (schema.org). The types are structs rather
// than maps: typed, and encoded without building maps on every page.

const schemaOrg = "https://schema.org"

// newsArticleLD has what Google's Article structured data asks for:
// headline, image, dates, authors with their pages, and the publisher.
type newsArticleLD struct {
	Context          string         `json:"@context"`
	Type             string         `json:"@type"`
	Headline         string         `json:"headline"`
	Description      string         `json:"description,omitempty"`
	URL              string         `json:"url"`
	MainEntityOfPage thingLD        `json:"mainEntityOfPage"`
	Image            []string       `json:"image,omitempty"`
	DatePublished    string         `json:"datePublished"`
	DateModified     string         `json:"dateModified"`
	Author           []thingLD      `json:"author"`
	Publisher        organizationLD `json:"publisher"`
	ArticleSection   string         `json:"articleSection,omitempty"`
	Keywords         []string       `json:"keywords,omitempty"`
	Free             bool           `json:"isAccessibleForFree"`
}

// thingLD is a typed node with an id, a name or a URL: a Person, a WebPage.
type thingLD struct {
	Type string `json:"@type"`
	ID   string `json:"@id,omitempty"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

type organizationLD struct {
	Type string  `json:"@type"`
	Name string  `json:"name"`
	URL  string  `json:"url"`
	Logo thingLD `json:"logo"`
}

type breadcrumbListLD struct {
	Context string       `json:"@context"`
	Type    string       `json:"@type"`
	Items   []listItemLD `json:"itemListElement"`
}

type listItemLD struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item"`
}

type webSiteLD struct {
	Context   string         `json:"@context"`
	Type      string         `json:"@type"`
	Name      string         `json:"name"`
	URL       string         `json:"url"`
	Publisher organizationLD `json:"publisher"`
}

// publisherLD is the paper as an Organization, with its logo.
func (h *Handler) publisherLD(base layout) organizationLD {
	return organizationLD{Type: "Organization", Name: base.Site.Name, URL: base.Site.BaseURL + "/",
		Logo: thingLD{Type: "ImageObject", URL: base.Site.BaseURL + h.assets.url("favicon.svg")}}
}

// newsArticleLD is the schema.org NewsArticle describing an article.
func (h *Handler) newsArticleLD(base layout, a article.Article, chain []section.Section) newsArticleLD {
	abs := base.Site.BaseURL
	url := abs + a.URL()
	ld := newsArticleLD{
		Context: schemaOrg, Type: "NewsArticle", Headline: a.Headline, Description: a.Deck, URL: url,
		MainEntityOfPage: thingLD{Type: "WebPage", ID: url},
		DatePublished:    base.L.ISO(a.PublishedAt), DateModified: base.L.ISO(latest(a.PublishedAt, a.UpdatedAt)),
		Author: make([]thingLD, len(a.Authors)), Publisher: h.publisherLD(base), Free: true,
	}
	for i, au := range a.Authors {
		ld.Author[i] = thingLD{Type: "Person", Name: au.Name, URL: abs + "/author/" + au.Slug}
	}
	if img := absURL(abs, a.LeadImage.URL); img != "" {
		ld.Image = []string{img}
	}
	if len(chain) > 0 {
		ld.ArticleSection = chain[len(chain)-1].Name
	}
	for _, t := range a.Tags {
		ld.Keywords = append(ld.Keywords, t.Name)
	}
	return ld
}

// webSiteLD describes the paper on its home page.
func (h *Handler) webSiteLD(base layout) webSiteLD {
	return webSiteLD{Context: schemaOrg, Type: "WebSite", Name: base.Site.Name, URL: base.Site.BaseURL + "/", Publisher: h.publisherLD(base)}
}
