package article

import (
	"encoding/json"
	"time"
)

// Revision is one saved state of an article. Every save keeps one, so any
// earlier text can be read, compared with another and restored.
type Revision struct {
	ID        int64
	ArticleID int64
	Version   int // the article's version this save produced
	StaffID   int64
	StaffName string
	CreatedAt time.Time
	Snapshot  Snapshot
}

// Snapshot is what a revision keeps: the fields an editor writes. The
// section is kept by id, as sections can be renamed or moved later.
type Snapshot struct {
	Headline       string    `json:"headline"`
	Deck           string    `json:"deck"`
	Body           string    `json:"body"`
	SectionID      int64     `json:"section_id"`
	AlsoIn         []int64   `json:"also_in,omitempty"`
	Slug           string    `json:"slug"`
	Authors        []Byline  `json:"authors"`
	Tags           []string  `json:"tags"`
	LeadImage      Image     `json:"lead_image"`
	SEOTitle       string    `json:"seo_title,omitempty"`
	SEODescription string    `json:"seo_description,omitempty"`
	Status         Status    `json:"status"`
	PublishedAt    time.Time `json:"published_at,omitzero"`
}

// SnapshotOf takes the editable state of a.
func SnapshotOf(a Article) Snapshot {
	s := Snapshot{Headline: a.Headline, Deck: a.Deck, Body: a.Body, SectionID: a.SectionID, AlsoIn: a.AlsoIn, Slug: a.Slug,
		LeadImage: a.LeadImage, SEOTitle: a.SEOTitle, SEODescription: a.SEODescription,
		Status: a.Status, PublishedAt: a.PublishedAt}
	for _, au := range a.Authors {
		s.Authors = append(s.Authors, Byline{Name: au.Name, Email: au.Email})
	}
	for _, t := range a.Tags {
		s.Tags = append(s.Tags, t.Name)
	}
	return s
}

// MarshalSnapshot encodes a snapshot for storage.
func MarshalSnapshot(s Snapshot) (string, error) {
	b, err := json.Marshal(s)
	return string(b), err
}

// UnmarshalSnapshot decodes a stored snapshot.
func UnmarshalSnapshot(data string) (Snapshot, error) {
	var s Snapshot
	err := json.Unmarshal([]byte(data), &s)
	return s, err
}
