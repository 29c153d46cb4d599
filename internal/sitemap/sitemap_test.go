package sitemap

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// parsed is the structure the protocol's schemas describe, for both
// <urlset> and <sitemapindex>, with the news extension.
type parsed struct {
	XMLName xml.Name
	Entries []struct {
		XMLName xml.Name
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		News    *struct {
			Name     string `xml:"publication>name"`
			Language string `xml:"publication>language"`
			Date     string `xml:"publication_date"`
			Title    string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:",any"`
}

func parse(t *testing.T, b []byte) parsed {
	t.Helper()
	var p parsed
	if err := xml.Unmarshal(b, &p); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b)
	}
	return p
}

func TestURLSetAndIndex_areTheProtocolsStructure(t *testing.T) {
	when := time.Date(2026, 11, 26, 17, 0, 0, 0, time.FixedZone("KST", 9*3600))
	urls := []URL{{Loc: "https://paper.example/article/1/a?x=1&y=2", LastMod: when}, {Loc: "https://paper.example/"}}
	for _, tc := range []struct {
		root, elem string
		write      func([]URL) ([]byte, error)
	}{{"urlset", "url", URLSet}, {"sitemapindex", "sitemap", Index}} {
		b, err := tc.write(urls)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), `<?xml version="1.0" encoding="UTF-8"?>`) {
			t.Errorf("%s: no XML declaration", tc.root)
		}
		if !strings.Contains(string(b), "a?x=1&amp;y=2") {
			t.Errorf("%s: & not escaped as an entity:\n%s", tc.root, b)
		}
		p := parse(t, b)
		if p.XMLName != (xml.Name{Space: nsSitemap, Local: tc.root}) || len(p.Entries) != 2 {
			t.Fatalf("%s: root %v with %d entries", tc.root, p.XMLName, len(p.Entries))
		}
		got := []string{p.Entries[0].XMLName.Local, p.Entries[0].Loc, p.Entries[0].LastMod, p.Entries[1].LastMod}
		want := []string{tc.elem, urls[0].Loc, "2026-11-26T08:00:00Z", ""}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.root, diff)
		}
	}
}

func TestNews_escapesTitlesAndNamesThePublication(t *testing.T) {
	pub := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	b, err := News(Publication{Name: "Paper & Co", Language: "en"},
		[]NewsURL{{Loc: "https://paper.example/article/1/a", Title: `Tax <cut> & "relief"` + "\x01", Published: pub}})
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, b)
	if len(p.Entries) != 1 || p.Entries[0].News == nil {
		t.Fatalf("no news entry:\n%s", b)
	}
	n := p.Entries[0].News
	got := []string{n.Name, n.Language, n.Date, n.Title}
	want := []string{"Paper & Co", "en", "2026-11-26T08:00:00Z", `Tax <cut> & "relief"` + "\uFFFD"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("news entry (-want +got):\n%s", diff)
	}
}

func TestLimits_refuseFilesCrawlersWouldReject(t *testing.T) {
	if _, err := URLSet(make([]URL, MaxURLs+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("%d URLs: %v, want ErrTooLarge", MaxURLs+1, err)
	}
	if _, err := URLSet(make([]URL, MaxURLs)); err != nil {
		t.Errorf("%d URLs: %v", MaxURLs, err)
	}
	long := make([]URL, MaxURLs)
	for i := range long {
		long[i].Loc = "https://paper.example/" + strings.Repeat("a", 1100) // 50,000 × ~1.1 kB > 50 MB
	}
	if _, err := URLSet(long); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over 50 MB: %v, want ErrTooLarge", err)
	}
	if _, err := News(Publication{}, make([]NewsURL, MaxNewsURLs+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("%d news URLs: %v, want ErrTooLarge", MaxNewsURLs+1, err)
	}
}
