package feed

import (
	"bytes"
	"encoding/xml"
	"time"
)

// RSS 2.0 (https://www.rssboard.org/rss-specification). Dates are RFC 822
// with four-digit years, as the spec's profile of RFC 1123 recommends.
// <author> must be an email address, which would publish the newsroom's
// inboxes to every aggregator, so bylines go in Dublin Core <dc:creator>,
// one per author, as most news feeds do.

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Self          rssSelf   `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Description string        `xml:"description,omitempty"`
	Creators    []string      `xml:"dc:creator"`
	Categories  []rssCategory `xml:"category"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssCategory struct {
	Domain string `xml:"domain,attr,omitempty"`
	Value  string `xml:",chardata"`
}

func rssDate(t time.Time) string { return t.UTC().Format(time.RFC1123Z) }

func renderRSS(fd Feed) ([]byte, error) {
	doc := rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", DC: "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{
			Title: fd.Title, Link: fd.Link, Description: fd.Description, Language: fd.Language,
			Self: rssSelf{Href: fd.Self, Rel: "self", Type: RSS.MediaType()},
		}}
	if !fd.Updated.IsZero() {
		doc.Channel.LastBuildDate = rssDate(fd.Updated)
	}
	for _, it := range fd.Items {
		ri := rssItem{Title: it.Title, Link: it.Link, GUID: rssGUID{IsPermaLink: it.ID == it.Link, Value: it.ID},
			PubDate: rssDate(it.Published), Description: it.Summary}
		for _, p := range it.Authors {
			ri.Creators = append(ri.Creators, p.Name)
		}
		for _, c := range it.Categories {
			ri.Categories = append(ri.Categories, rssCategory{Domain: c.Scheme, Value: c.Label})
		}
		doc.Channel.Items = append(doc.Channel.Items, ri)
	}
	return marshalXML(doc)
}

// marshalXML writes an XML document with its declaration.
func marshalXML(doc any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
