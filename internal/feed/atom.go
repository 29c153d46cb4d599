package feed

import (
	"encoding/xml"
	"time"
)

// Atom 1.0 (RFC 4287). Dates are RFC 3339. An entry without an author
// takes the feed's, which is the publisher.

type atomDoc struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

func atomDate(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func renderAtom(fd Feed) ([]byte, error) {
	doc := atomDoc{Lang: fd.Language, ID: fd.Self, Title: fd.Title, Subtitle: fd.Description,
		Updated: atomDate(fd.Updated),
		Links: []atomLink{
			{Href: fd.Link, Rel: "alternate", Type: "text/html"},
			{Href: fd.Self, Rel: "self", Type: Atom.MediaType()},
		},
		Author: atomPerson{Name: fd.Publisher},
	}
	for _, it := range fd.Items {
		e := atomEntry{ID: it.ID, Title: it.Title, Links: []atomLink{{Href: it.Link, Rel: "alternate", Type: "text/html"}},
			Published: atomDate(it.Published), Updated: atomDate(it.Updated)}
		for _, p := range it.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: p.Name, URI: p.URL})
		}
		for _, c := range it.Categories {
			e.Categories = append(e.Categories, atomCategory{Term: c.Term, Scheme: c.Scheme, Label: c.Label})
		}
		if it.Summary != "" {
			e.Summary = &atomText{Type: "text", Value: it.Summary}
		}
		doc.Entries = append(doc.Entries, e)
	}
	return marshalXML(doc)
}
