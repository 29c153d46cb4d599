package ghost

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"broadsheet/internal/importer"
)

// scanAll reads every record of the export at path.
func scanAll(t *testing.T, path, mediaDir string) []importer.Record {
	t.Helper()
	s, err := Open(path, mediaDir)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	var got []importer.Record
	if err := s.Scan(context.Background(), func(r importer.Record) error {
		got = append(got, r)
		return nil
	}); err != nil {
		t.Fatalf("Scan(%s): %v", path, err)
	}
	return got
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestScan_ghost2Mobiledoc(t *testing.T) {
	got := scanAll(t, "testdata/ghost-2.json", "testdata/media")
	want := []importer.Record{
		&importer.Author{SourceID: "5c9e1f0a1b2c3d4e5f600101", Name: "Mina Park", Email: "mina@paper.example", Slug: "mina", Bio: "Harbour reporter."},
		// A user without a name is known by the slug.
		&importer.Author{SourceID: "5c9e1f0a1b2c3d4e5f600102", Name: "ghost-writer", Email: "gw@paper.example", Slug: "ghost-writer"},
		&importer.Section{SourceID: "5c9e1f0a1b2c3d4e5f600201", Slug: "city", Name: "City", Description: "News of the city"},
		&importer.Tag{SourceID: "5c9e1f0a1b2c3d4e5f600201", Slug: "city", Name: "City"},
		&importer.Tag{SourceID: "5c9e1f0a1b2c3d4e5f600202", Slug: "harbour", Name: "Harbour"},
		&importer.Post{
			SourceID: "5c9e1f0a1b2c3d4e5f600001",
			Kind:     importer.KindArticle,
			Title:    "Harbour cranes return to work",
			Slug:     "harbour-cranes-return",
			Excerpt:  "Work resumes at the east harbour.",
			// The link keeps href and rel, not onclick; the empty
			// paragraph and the signup card are left out.
			HTML: `<p>The cranes at the east <a href="https://example.org/harbour" rel="noopener">harbour</a> moved again on <strong>Monday</strong>.<br>Second line.</p>
<h2>What changed</h2>
<ul><li>Two shifts</li><li><em>Night</em> work</li></ul>
<p>A <strong>markdown</strong> card with a <a href="https://example.org/a">link</a>.</p>
<div class="raw">raw html</div>
<figure><img src="/content/images/2019/03/crane.jpg" alt="A crane"><figcaption>The <em>east</em> crane</figcaption></figure>
<hr>
<blockquote>We are back, said the foreman.</blockquote>
`,
			Status:          importer.StatusPublished,
			PublishedAt:     at("2019-03-04T10:20:30Z"),
			UpdatedAt:       at("2019-03-05T11:30:00Z"),
			AuthorSourceIDs: []string{"5c9e1f0a1b2c3d4e5f600101"},
			// posts_tags are in the file backwards; sort_order decides.
			// The internal #feature tag is left out.
			SectionSourceID: "5c9e1f0a1b2c3d4e5f600201",
			TagSourceIDs:    []string{"5c9e1f0a1b2c3d4e5f600201", "5c9e1f0a1b2c3d4e5f600202"},
			LeadImage:       &importer.Image{URL: "/content/images/2019/03/crane.jpg"},
			OldPaths:        []string{"/harbour-cranes-return/"},
		},
		&importer.Post{
			SourceID:        "5c9e1f0a1b2c3d4e5f600002",
			Kind:            importer.KindPage, // "page": true
			Title:           "회사 소개",
			Slug:            "about",
			HTML:            "<p>우리는 작은 신문입니다.</p>",
			Status:          importer.StatusPublished,
			PublishedAt:     at("2019-02-24T09:20:00Z"), // milliseconds since 1970
			UpdatedAt:       at("2019-02-24T09:20:00Z"),
			AuthorSourceIDs: []string{"5c9e1f0a1b2c3d4e5f600101"},
			OldPaths:        []string{"/about/"},
		},
		&importer.Post{
			SourceID: "5c9e1f0a1b2c3d4e5f600003",
			Kind:     importer.KindArticle,
			Title:    "Draft with <script>alert(1)</script> in it",
			Slug:     "draft-hostile",
			// Text is escaped, attribute values too; the javascript:
			// address is passed on for the import to sanitize.
			HTML: `<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold?&lt;/b&gt;<a href="javascript:alert(1)">click</a></p>
<p><a href="https://example.org/&#34; onmouseover=&#34;alert(2)">quoted &#34; attr</a></p>
`,
			Status:          importer.StatusDraft,
			UpdatedAt:       at("2019-04-02T08:00:00Z"),
			AuthorSourceIDs: []string{"5c9e1f0a1b2c3d4e5f600102"},
			OldPaths:        []string{"/draft-hostile/"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestScan_ghost4HTMLWithoutDBWrapper(t *testing.T) {
	got := scanAll(t, "testdata/ghost-4.json", "testdata/media")
	want := []importer.Record{
		&importer.Author{SourceID: "61000000000000000000u001", Name: "Jon Reyes", Email: "jon@paper.example", Slug: "jon", Bio: "Culture desk."},
		&importer.Author{SourceID: "61000000000000000000u002", Name: "Sara Lindqvist", Email: "sara@paper.example", Slug: "sara"},
		&importer.Section{SourceID: "61000000000000000000t002", Slug: "culture", Name: "Culture", Description: "Arts and festivals"},
		&importer.Tag{SourceID: "61000000000000000000t002", Slug: "culture", Name: "Culture"},
		&importer.Post{
			SourceID: "6100000000000000000000a1",
			Kind:     importer.KindArticle,
			Title:    "Festival night 🎆🎉",
			Slug:     "festival-night",
			// Ghost's html wins over the mobiledoc; __GHOST_URL__ goes.
			HTML:        `<p>Fireworks 🎆 over the bay 🌊.</p><figure class="kg-card kg-image-card"><img src="/content/images/2021/05/harbour.jpg" alt="Bay"></figure><p><a href="/harbour-cranes-return/">Earlier</a></p>`,
			Status:      importer.StatusPublished,
			PublishedAt: at("2021-05-01T20:00:00Z"),
			UpdatedAt:   at("2021-05-02T07:15:00Z"),
			// posts_authors by sort_order, not by the file's order.
			AuthorSourceIDs: []string{"61000000000000000000u001", "61000000000000000000u002"},
			SectionSourceID: "61000000000000000000t002",
			TagSourceIDs:    []string{"61000000000000000000t002"}, // the unknown tag id is left out
			LeadImage: &importer.Image{
				URL:  "/content/images/2021/05/harbour.jpg",
				File: "images/2021/05/harbour.jpg",
			},
			OldPaths: []string{"/festival-night/"},
		},
		&importer.Post{
			SourceID: "6100000000000000000000a2",
			Kind:     importer.KindArticle,
			Title:    "مهرجان الميناء",
			Slug:     "harbour-festival-ar",
			HTML: `<p>שלום, this line mixes עברית and English.</p>
<h3>عنوان فرعي</h3>
`,
			Status:          importer.StatusPrivate, // members only
			PublishedAt:     at("2021-05-03T08:00:00Z"),
			UpdatedAt:       at("2021-05-03T10:00:00Z"),
			AuthorSourceIDs: []string{"61000000000000000000u002"},
			// The first tag is internal: no section, the public one a tag.
			TagSourceIDs: []string{"61000000000000000000t002"},
			OldPaths:     []string{"/harbour-festival-ar/"},
		},
		&importer.Post{
			SourceID:        "6100000000000000000000a3",
			Kind:            importer.KindArticle,
			Title:           "Budget vote preview",
			Slug:            "budget-vote-preview",
			HTML:            "<p>The council votes next week.</p>",
			Status:          importer.StatusScheduled,
			PublishedAt:     at("2021-06-01T06:00:00Z"),
			UpdatedAt:       at("2021-05-04T10:00:00Z"),
			AuthorSourceIDs: []string{"61000000000000000000u001"},
			LeadImage:       &importer.Image{URL: "https://cdn.example.org/img/budget.png"},
			OldPaths:        []string{"/budget-vote-preview/"},
		},
		&importer.Post{
			SourceID:        "6100000000000000000000a4",
			Kind:            importer.KindArticle,
			Title:           "Weekly letter",
			Slug:            "weekly-letter-1",
			HTML:            "<p>Our weekly letter.</p>",
			Status:          importer.StatusPrivate, // sent, but to paid members
			PublishedAt:     at("2021-05-05T12:00:00Z"),
			UpdatedAt:       at("2021-05-05T10:00:00Z"),
			AuthorSourceIDs: []string{"61000000000000000000u001"},
			OldPaths:        []string{"/weekly-letter-1/"},
		},
		&importer.Post{
			SourceID:        "6100000000000000000000a5",
			Kind:            importer.KindPage,
			Title:           "Contact",
			Slug:            "contact",
			HTML:            "<p>Write to us.</p>",
			Status:          importer.StatusDraft,
			UpdatedAt:       at("2021-05-06T10:00:00Z"),
			AuthorSourceIDs: []string{"61000000000000000000u001"}, // the unknown author is left out
			OldPaths:        []string{"/contact/"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestScan_ghost5Lexical(t *testing.T) {
	got := scanAll(t, "testdata/ghost-5.json", "testdata/media")
	want := []importer.Record{
		&importer.Author{SourceID: "1", Name: "Mina Park", Email: "mina@paper.example", Slug: "mina", Bio: "Markets and harbour."},
		&importer.Section{SourceID: "65000000000000000000t001", Slug: "markets", Name: "Markets"},
		&importer.Tag{SourceID: "65000000000000000000t001", Slug: "markets", Name: "Markets"},
		&importer.Post{
			SourceID: "6500000000000000000000b1",
			Kind:     importer.KindArticle,
			Title:    "Market day",
			Slug:     "market-day",
			Excerpt:  "Stalls and voices.",
			// The signup card and the empty paragraph are left out; the
			// hostile text is escaped.
			HTML: `<p>Plain, <strong>bold</strong>, <em>italic</em>, <strong><em>both</em></strong> and <code>code</code>.</p>
<h2>시장 소식</h2>
<p>A <a href="https://example.org/market">link</a><br>after the break</p>
<blockquote>A quoted line.</blockquote>
<ul><li>first</li><li><ol><li>nested</li></ol>
</li></ul>
<figure><img src="/content/images/2023/08/market.png" alt="Stalls at dawn"><figcaption><span>Dawn at the market</span></figcaption></figure>
<hr>
<ul>
<li>one</li>
<li>two</li>
</ul>
<table><tr><td>raw</td></tr></table>
<p>&lt;img src=x onerror=alert(1)&gt; &amp; &#34;quotes&#34;<a href="javascript:alert(1)">bad link</a></p>
`,
			Status:          importer.StatusPublished,
			PublishedAt:     at("2023-08-10T06:00:00Z"),
			UpdatedAt:       at("2023-08-11T09:00:00Z"),
			AuthorSourceIDs: []string{"1"},
			SectionSourceID: "65000000000000000000t001",
			TagSourceIDs:    []string{"65000000000000000000t001"},
			LeadImage: &importer.Image{
				URL:     "/content/images/2023/08/market.png",
				File:    "2023/08/market.png",
				Alt:     "Stalls at dawn",
				Caption: `Photo by <a href="/author/mina/">Mina</a>`,
			},
			OldPaths: []string{"/market-day/"},
		},
		&importer.Post{
			SourceID:        "6500000000000000000000b2",
			Kind:            importer.KindArticle,
			Title:           "Subscribers' briefing",
			Slug:            "briefing",
			HTML:            "<p>Only for tiers.</p>\n",
			Status:          importer.StatusPrivate,
			PublishedAt:     at("2023-08-12T06:00:00Z"),
			UpdatedAt:       at("2023-08-12T05:00:00Z"),
			AuthorSourceIDs: []string{"1"},
			// Not in the media folder: no File.
			LeadImage: &importer.Image{URL: "/content/images/2023/08/missing.jpg"},
			OldPaths:  []string{"/briefing/"},
		},
		&importer.Post{
			SourceID:        "6500000000000000000000b3",
			Kind:            importer.KindPage,
			Title:           "Masthead",
			Slug:            "masthead",
			HTML:            "<p>Editor: <strong>Mina Park</strong></p>",
			Status:          importer.StatusPublished,
			PublishedAt:     at("2023-01-01T00:00:00Z"),
			UpdatedAt:       at("2023-01-02T00:00:00Z"),
			AuthorSourceIDs: []string{"1"},
			OldPaths:        []string{"/masthead/"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestScan_withoutMediaDirHasNoFiles(t *testing.T) {
	for _, r := range scanAll(t, "testdata/ghost-5.json", "") {
		if p, ok := r.(*importer.Post); ok && p.LeadImage != nil && p.LeadImage.File != "" {
			t.Errorf("post %s: File = %q, want none without a media folder", p.SourceID, p.LeadImage.File)
		}
	}
}

func TestScan_isRepeatable(t *testing.T) {
	for _, f := range []string{"ghost-2.json", "ghost-4.json", "ghost-5.json"} {
		s, err := Open(filepath.Join("testdata", f), "testdata/media")
		if err != nil {
			t.Fatal(err)
		}
		var runs [2][]importer.Record
		for i := range runs {
			if err := s.Scan(context.Background(), func(r importer.Record) error {
				runs[i] = append(runs[i], r)
				return nil
			}); err != nil {
				t.Fatalf("%s: scan %d: %v", f, i+1, err)
			}
		}
		if diff := cmp.Diff(runs[0], runs[1]); diff != "" {
			t.Errorf("%s: second scan differs (-first +second):\n%s", f, diff)
		}
	}
}

// TestScan_dependencyOrder checks the promise of importer.Source: every
// id a record names came in an earlier record.
func TestScan_dependencyOrder(t *testing.T) {
	for _, f := range []string{"ghost-2.json", "ghost-4.json", "ghost-5.json"} {
		seen := map[string]bool{}
		kinds := ""
		for _, r := range scanAll(t, filepath.Join("testdata", f), "") {
			switch r := r.(type) {
			case *importer.Author:
				seen["author "+r.SourceID] = true
				kinds += "a"
			case *importer.Section:
				seen["section "+r.SourceID] = true
				kinds += "s"
			case *importer.Tag:
				seen["tag "+r.SourceID] = true
				kinds += "t"
			case *importer.Post:
				kinds += "p"
				for _, id := range r.AuthorSourceIDs {
					if !seen["author "+id] {
						t.Errorf("%s: post %s names author %s before it came", f, r.SourceID, id)
					}
				}
				if id := r.SectionSourceID; id != "" && !seen["section "+id] {
					t.Errorf("%s: post %s names section %s before it came", f, r.SourceID, id)
				}
				for _, id := range r.TagSourceIDs {
					if !seen["tag "+id] {
						t.Errorf("%s: post %s names tag %s before it came", f, r.SourceID, id)
					}
				}
			}
		}
		if strings.Trim(kinds, "a") != strings.TrimLeft(kinds, "a") || !isOrdered(kinds) {
			t.Errorf("%s: record kinds in the order %s, want authors, sections, tags, posts", f, kinds)
		}
	}
}

func isOrdered(kinds string) bool {
	rank := map[rune]int{'a': 0, 's': 1, 't': 2, 'p': 3}
	last := 0
	for _, k := range kinds {
		if rank[k] < last {
			return false
		}
		last = rank[k]
	}
	return true
}

func TestScan_refusesMalformedFiles(t *testing.T) {
	tests := []struct {
		file   string
		record int
		id     string
		reason string
	}{
		{"empty.json", 1, "", "not a Ghost export: the file is empty"},
		{"array.json", 1, "", "not a Ghost export: it is not a JSON object"},
		{"not-ghost.json", 1, "", `not a Ghost export: it has no "db" list or "data" object`},
		{"no-posts.json", 1, "", `not a Ghost export: it has no "posts" table`},
		{"posts-not-list.json", 1, "", `the table is an object, where Ghost writes a list (in the "posts" table)`},
		{"syntax.json", 1, "", `not valid JSON at byte 291: invalid character '"' after object key:value pair (in the "posts" table, entry 2)`},
		{"truncated.json", 1, "", `the file ends in the middle of its JSON, at byte 332 (is it cut short?) (in the "posts" table, entry 2)`},
		{"trailing.json", 1, "", "there is more after the end of the export's JSON object"},
		// The first post is fine and passed on; the second is refused.
		{"no-title-no-body.json", 2, "bad1", "the post has neither a title nor a body"},
		{"no-title.json", 2, "bad1", "the post has no title"},
		{"no-slug.json", 2, "bad1", `the post "A title" has no slug`},
		{"bad-status.json", 2, "bad1", `the status "archived", which Ghost does not write`},
		{"bad-date.json", 2, "bad1", `published_at is "last Tuesday", which is not a date`},
		{"bad-type.json", 2, "bad1", `the post's type "newsletter" is neither "post" nor "page"`},
		{"bad-mobiledoc.json", 2, "bad1", "mobiledoc body is not a Mobiledoc document"},
		{"bad-lexical.json", 2, "bad1", "lexical body is not a Lexical document"},
		{"title-number.json", 2, "bad1", `the post's "title" is a JSON number, which it cannot be (in the "posts" table, entry 2)`},
		{"scheduled-no-date.json", 2, "bad1", `is scheduled but has no published_at date`},
		{"tag-no-name.json", 1, "t1", "the tag has no name"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s, err := Open(filepath.Join("testdata", "malformed", tt.file), "")
			if err != nil {
				t.Fatal(err)
			}
			err = s.Scan(context.Background(), func(importer.Record) error { return nil })
			var ie *importer.Error
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want an *importer.Error", err)
			}
			if ie.Record != tt.record || ie.ID != tt.id || !strings.Contains(ie.Reason, tt.reason) {
				t.Errorf("got record %d, id %q, reason %q; want record %d, id %q, reason with %q", ie.Record, ie.ID, ie.Reason, tt.record, tt.id, tt.reason)
			}
		})
	}
}

func TestOpen_refusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, media, want string }{
		{"missing file", filepath.Join(dir, "nope.json"), "", "no such file"},
		{"folder", dir, "", "is a folder, not a Ghost export file"},
		{"missing media folder", "testdata/ghost-5.json", filepath.Join(dir, "nope"), "media folder"},
		{"media folder a file", "testdata/ghost-5.json", notDir, "is not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.path, tt.media)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestScan_stopsAtTheCallersError(t *testing.T) {
	s, err := Open("testdata/ghost-4.json", "")
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	err = s.Scan(context.Background(), func(r importer.Record) error {
		n++
		if _, ok := r.(*importer.Post); ok {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 5 {
		t.Errorf("got %v after %d records, want stop after 5", err, n)
	}
}

func TestScan_stopsWhenCancelled(t *testing.T) {
	s, err := Open("testdata/ghost-4.json", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = s.Scan(ctx, func(importer.Record) error {
		n++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("got %v after %d records, want context.Canceled after 1", err, n)
	}
}

func TestScan_refusesAnEntryOverTheLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "big.json")
	body := strings.Repeat("<p>word</p>", 2000) // 22 KB
	export := `{"db":[{"meta":{},"data":{"users":[],"posts":[{"id":"1","title":"Big","slug":"big","status":"draft","html":"` + body + `"}]}}]}`
	if err := os.WriteFile(path, []byte(export), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	s.maxRecord = 16 << 10
	err = s.Scan(context.Background(), func(importer.Record) error { return nil })
	var ie *importer.Error
	if !errors.As(err, &ie) || !strings.Contains(ie.Reason, "larger than") {
		t.Fatalf("got %v, want an entry refused as too large", err)
	}
	if !strings.Contains(ie.Reason, `"posts" table, entry 1`) {
		t.Errorf("reason %q does not name the entry", ie.Reason)
	}
	s.maxRecord = 64 << 10
	if err := s.Scan(context.Background(), func(importer.Record) error { return nil }); err != nil {
		t.Errorf("under the limit: %v", err)
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		raw  string
		want string // RFC 3339, "" for the zero time, "error" for a refusal
	}{
		{`null`, ""},
		{`""`, ""},
		{`"2024-03-01T09:30:00.000Z"`, "2024-03-01T09:30:00Z"},
		{`"2024-03-01T09:30:00Z"`, "2024-03-01T09:30:00Z"},
		{`"2024-03-01T18:30:00+09:00"`, "2024-03-01T09:30:00Z"},
		{`"2024-03-01 09:30:00"`, "2024-03-01T09:30:00Z"},
		{`"2024-03-01"`, "2024-03-01T00:00:00Z"},
		{`1709285400000`, "2024-03-01T09:30:00Z"},
		{`"03/01/2024"`, "error"},
		{`"0000-01-01T00:00:00Z"`, "error"},
		{`"9999-12-31T23:00:00-05:00"`, "error"},
		{`"1900-01-01T00:30:00+01:00"`, "error"},
		{`"9999-12-31T23:00:00+01:00"`, "9999-12-31T22:00:00Z"},
		{`-5`, "error"},
		{`true`, "error"},
		{`99999999999999999`, "error"},
	}
	for _, tt := range tests {
		got, err := date("published_at", []byte(tt.raw))
		switch {
		case tt.want == "error":
			if err == nil || !strings.Contains(err.Error(), "published_at") {
				t.Errorf("date(%s) = %v, %v; want an error naming the field", tt.raw, got, err)
			}
		case err != nil:
			t.Errorf("date(%s): %v", tt.raw, err)
		case tt.want == "" && !got.IsZero():
			t.Errorf("date(%s) = %v, want the zero time", tt.raw, got)
		case tt.want != "" && !got.Equal(at(tt.want)):
			t.Errorf("date(%s) = %v, want %s", tt.raw, got, tt.want)
		}
	}
}

func TestMediaFile_staysInTheFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "2024"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "2024", "a.jpg"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(filepath.Dir(dir), "secret.txt")
	if err := os.WriteFile(secret, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(secret)
	tests := []struct{ address, want string }{
		{"__GHOST_URL__/content/images/2024/a.jpg", "2024/a.jpg"},
		{"/content/images/2024/a.jpg?v=2", "2024/a.jpg"},
		{"https://old.example/content/images/2024/a.jpg", "2024/a.jpg"},
		{"https://old.example/blog/2024/a.jpg", ""},
		{"__GHOST_URL__/content/images/../secret.txt", ""},
		{"__GHOST_URL__/content/images/2024/../../secret.txt", ""},
		{"__GHOST_URL__/content/images//etc/passwd", ""},
		{"__GHOST_URL__/content/images/2024", ""}, // a folder
		{"__GHOST_URL__/content/images/", ""},
		{"2024/a.jpg", ""},
	}
	for _, tt := range tests {
		if got := mediaFile(dir, tt.address); got != tt.want {
			t.Errorf("mediaFile(%q) = %q, want %q", tt.address, got, tt.want)
		}
	}
}
