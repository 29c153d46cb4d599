package feed

import (
	"bytes"
	"encoding/json"
)

// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). Dates are RFC
// 3339. An item must have content_html or content_text; the feeds carry
// summaries, not bodies, so content_text is the summary, or the title when
// an article has no deck.

type jsonDoc struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentText   string       `json:"content_text"`
	Summary       string       `json:"summary,omitempty"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

func renderJSON(fd Feed) ([]byte, error) {
	doc := jsonDoc{Version: "https://jsonfeed.org/version/1.1", Title: fd.Title, HomePageURL: fd.Link,
		FeedURL: fd.Self, Description: fd.Description, Language: fd.Language,
		Authors: []jsonAuthor{{Name: fd.Publisher}}, Items: []jsonItem{}}
	for _, it := range fd.Items {
		ji := jsonItem{ID: it.ID, URL: it.Link, Title: it.Title, ContentText: it.Summary, Summary: it.Summary,
			Image: it.Image, DatePublished: atomDate(it.Published), DateModified: atomDate(it.Updated)}
		if ji.ContentText == "" {
			ji.ContentText = it.Title
		}
		for _, p := range it.Authors {
			ji.Authors = append(ji.Authors, jsonAuthor(p))
		}
		for _, c := range it.Categories {
			ji.Tags = append(ji.Tags, c.Label)
		}
		doc.Items = append(doc.Items, ji)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // the document is served as JSON, never inside HTML
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
