package web

import (
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/section"
)

// newsArticleLD is the schema.org NewsArticle describing an article.
func (h *Handler) newsArticleLD(base layout, a article.Article, chain []section.Section) map[string]any {
	authors := make([]map[string]any, len(a.Authors))
	for i, au := range a.Authors {
		authors[i] = map[string]any{"@type": "Person", "name": au.Name, "url": base.Site.BaseURL + "/author/" + au.Slug}
	}
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         a.Headline,
		"datePublished":    a.PublishedAt.Format(time.RFC3339),
		"dateModified":     a.UpdatedAt.Format(time.RFC3339),
		"author":           authors,
		"mainEntityOfPage": base.Site.BaseURL + a.URL(),
		"publisher":        map[string]any{"@type": "Organization", "name": base.Site.Name},
	}
	if a.Deck != "" {
		ld["description"] = a.Deck
	}
	if len(chain) > 0 {
		ld["articleSection"] = chain[len(chain)-1].Name
	}
	if a.LeadImage.URL != "" {
		img := a.LeadImage.URL
		if img[0] == '/' {
			img = base.Site.BaseURL + img
		}
		ld["image"] = []string{img}
	}
	return ld
}
