package feed

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"
)

func sample() Feed {
	pub := time.Date(2026, 11, 26, 8, 30, 0, 0, time.FixedZone("KST", 9*3600))
	return Feed{
		Title: "Politics & <Power> | Paper", Description: "News \"from\" the Assembly", Link: "https://paper.example/section/national/politics",
		Self: "https://paper.example/section/national/politics/feed.xml", Language: "en", Publisher: "Paper",
		Updated: pub.Add(time.Hour),
		Items: []Item{{
			ID: "https://paper.example/article/7/budget", Link: "https://paper.example/article/7/budget",
			Title: "Budget <passes> & more", Summary: "Lawmakers vote 5 > 4.", Image: "https://paper.example/media/a.png",
			Published: pub, Updated: pub.Add(time.Hour),
			Authors:    []Person{{Name: "Kim Min-ji", URL: "https://paper.example/author/kim-minji"}, {Name: "Lee Seo-yeon", URL: "https://paper.example/author/lee-seoyeon"}},
			Categories: []Category{{Term: "national/politics", Label: "Politics", Scheme: "https://paper.example/section/"}, {Term: "budget", Label: "Budget", Scheme: "https://paper.example/tag/"}},
		}},
	}
}

// Every format parses with a real feed reader and keeps what we put in:
// escaped text, dates to the second in UTC, every author and category.
func TestRender_everyFormatParsesBackWithItsFields(t *testing.T) {
	in := sample()
	for _, f := range Formats {
		t.Run(f.Name(), func(t *testing.T) {
			b, err := Render(f, in)
			if err != nil {
				t.Fatal(err)
			}
			out, err := gofeed.NewParser().Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("does not parse: %v\n%s", err, b)
			}
			if out.Title != in.Title || out.Language != in.Language || len(out.Items) != 1 {
				t.Fatalf("feed title %q language %q items %d", out.Title, out.Language, len(out.Items))
			}
			it, want := out.Items[0], in.Items[0]
			if it.Title != want.Title || it.Link != want.Link || it.GUID != want.ID {
				t.Errorf("item title %q link %q id %q; want %q %q %q", it.Title, it.Link, it.GUID, want.Title, want.Link, want.ID)
			}
			if it.PublishedParsed == nil || !it.PublishedParsed.Equal(want.Published) {
				t.Errorf("published %v, want %v", it.PublishedParsed, want.Published)
			}
			if f != RSS && (it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(want.Updated)) {
				t.Errorf("updated %v, want %v", it.UpdatedParsed, want.Updated)
			}
			var names []string
			if f == RSS {
				names = it.DublinCoreExt.Creator // gofeed keeps only the first as Authors
			} else {
				for _, p := range it.Authors {
					names = append(names, p.Name)
				}
			}
			if diff := cmp.Diff([]string{"Kim Min-ji", "Lee Seo-yeon"}, names); diff != "" {
				t.Errorf("authors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"Politics", "Budget"}, it.Categories); diff != "" {
				t.Errorf("categories (-want +got):\n%s", diff)
			}
			if f != JSON && it.Description != want.Summary {
				t.Errorf("summary %q, want %q", it.Description, want.Summary)
			}
		})
	}
}

func TestRender_rssDatesAreRFC822InUTC(t *testing.T) {
	b, err := Render(RSS, sample())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("<pubDate>Wed, 25 Nov 2026 23:30:00 +0000</pubDate>")) {
		t.Errorf("pubDate is not RFC 822 in UTC:\n%s", b)
	}
}

func TestRender_emptyFeedIsStillValid(t *testing.T) {
	in := sample()
	in.Items = nil
	for _, f := range Formats {
		b, err := Render(f, in)
		if err != nil {
			t.Fatal(err)
		}
		out, err := gofeed.NewParser().Parse(bytes.NewReader(b))
		if err != nil || len(out.Items) != 0 {
			t.Errorf("%s: empty feed parses as %v, %v", f.Name(), out, err)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for ext, want := range map[string]Format{"xml": RSS, "atom": Atom, "json": JSON} {
		if got, err := ParseFormat(ext); err != nil || got != want || got.Ext() != ext {
			t.Errorf("ParseFormat(%q) = %v, %v; want %v", ext, got, err, want)
		}
	}
	for _, ext := range []string{"", "rss", "XML", "html"} {
		if _, err := ParseFormat(ext); err == nil {
			t.Errorf("ParseFormat(%q) accepted", ext)
		}
	}
}
