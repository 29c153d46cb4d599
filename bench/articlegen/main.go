// Command articlegen fills a Broadsheet database with many generated,
// published articles, to measure search, fronts, topics and sitemaps at
// the size of a long-running paper:
//
//	go run ./bench/articlegen -db /tmp/big/broadsheet.db -n 1000000
//	go run ./bench/articlegen -db 'postgres://…' -n 1000000
//
// Text is made of the demo articles' words: half of the time the word
// that followed the previous one somewhere in the demo text (so phrases
// such as "the city council" recur as they do in a newspaper), otherwise a
// word drawn with a Zipf distribution (a few words very common, most
// rare), in sentences and paragraphs of newspaper length (about 250 to 1,100 words; one in twenty
// articles is in Korean). Articles are spread evenly over the ten years
// before November 2026, oldest first (ids follow publication), and over
// eleven sections, with one to three of 300 authors and up to four of
// 3,000 tags. The same seed gives the same database. A database that already
// has articles gets more after them.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/section"
	"broadsheet/internal/store"
)

func main() {
	dsn := flag.String("db", "", "SQLite file or postgres:// URL (required)")
	n := flag.Int("n", 1_000_000, "articles to add; 0 only rebuilds the search index and monthly counts")
	batch := flag.Int("batch", 5000, "articles per transaction")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *dsn == "" || *n < 0 || *batch <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(context.Background(), *dsn, *n, *batch, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "articlegen:", err)
		os.Exit(1)
	}
}

// sectionPaths are the sections articles are filed in, with their share.
var sectionPaths = []struct {
	path, name string
	weight     int
}{
	{"national", "National", 0}, {"national/politics", "Politics", 18}, {"national/social-affairs", "Social Affairs", 16},
	{"business", "Business", 0}, {"business/economy", "Economy", 14}, {"business/industry", "Industry", 10},
	{"opinion", "Opinion", 8}, {"culture", "Culture", 0}, {"culture/books", "Books", 6},
	{"sports", "Sports", 0}, {"sports/football", "Football", 12}, {"world", "World", 16},
}

var korean = strings.Fields(`서울 부산 정부 국회 예산 선거 시민 경제 시장 기업 수출 물가 금리 학교 교육 병원 의료 날씨 폭염 태풍
	교통 지하철 버스 항구 조선 반도체 배터리 축구 야구 경기 선수 감독 문화 영화 음악 전시 도서관 작가 소설 시인 환경 에너지 전기
	주택 임대 청년 노인 복지 일자리 노동 협상 법원 판결 검찰 경찰 사건 조사 발표 회의 의원 장관 대통령 시장 지역 마을 농민 어민`)

func run(ctx context.Context, dsn string, n, batch int, seed uint64) error {
	start := time.Now()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if n == 0 {
		fmt.Fprintln(os.Stderr, "articlegen: rebuilding the search index and the monthly counts")
		return db.RebuildDerived(ctx)
	}
	vocab, follows, err := vocabulary("internal/demo/content/articles")
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(seed, 2))
	secIDs, weights, err := ensureSections(ctx, db)
	if err != nil {
		return err
	}
	authorIDs, err := ensureAuthors(ctx, db, r)
	if err != nil {
		return err
	}
	tagNames := make([]string, 3000)
	for i := range tagNames {
		tagNames[i] = titleCase(vocab[r.IntN(len(vocab)/2)]) + " " + titleCase(vocab[r.IntN(len(vocab))])
	}
	tagIDs, err := db.BulkTags(ctx, tagNames)
	if err != nil {
		return err
	}
	next, err := db.MaxArticleID(ctx)
	if err != nil {
		return err
	}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(seed, 3)), 1.07, 2, uint64(len(vocab)-1))
	w := writer{r: r, vocab: vocab, follows: follows, zipf: zipf}
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	span := int64(10 * 365 * 24 * time.Hour)
	total := 0
	for done := 0; done < n; done += batch {
		size := min(batch, n-done)
		list := make([]store.BulkArticle, size)
		for i := range list {
			next++
			ko := r.IntN(20) == 0
			headline := w.sentence(6, 12, ko)
			headline = strings.TrimSuffix(headline, ".")
			body, html := w.body(ko)
			// Oldest first, as an archive grows: ids follow publication,
			// with a little jitter.
			at := span / int64(n) * int64(done+i) // (span*i would overflow)
			pub := end.Add(-time.Duration(span - at + r.Int64N(int64(time.Hour)))).Truncate(time.Second)
			a := store.BulkArticle{Article: article.Article{ID: next, Slug: article.Slugify(headline), Headline: headline,
				Deck: w.sentence(12, 22, ko), Body: body, BodyHTML: html, SectionID: pick(r, secIDs, weights),
				PublishedAt: pub, CreatedAt: pub, UpdatedAt: pub}}
			for k := 0; k < 1+r.IntN(3); k++ {
				if id := authorIDs[r.IntN(len(authorIDs))]; !contains(a.AuthorIDs, id) {
					a.AuthorIDs = append(a.AuthorIDs, id)
				}
			}
			for k := 0; k < r.IntN(5); k++ {
				// Tags follow a Zipf curve too: a few topics are everywhere.
				if id := tagIDs[int(w.zipf.Uint64())%len(tagIDs)]; !contains(a.TagIDs, id) {
					a.TagIDs = append(a.TagIDs, id)
				}
			}
			list[i] = a
		}
		if err := db.BulkLoad(ctx, list); err != nil {
			return err
		}
		total += size
		if total%(batch*20) == 0 || total == n {
			fmt.Fprintf(os.Stderr, "articlegen: %d articles in %s\n", total, time.Since(start).Round(time.Second))
		}
	}
	fmt.Fprintln(os.Stderr, "articlegen: building the search index and the monthly counts")
	if err := db.RebuildDerived(ctx); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "articlegen: %d articles added in %s\n", n, time.Since(start).Round(time.Second))
	return nil
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func pick(r *rand.Rand, ids []int64, weights []int) int64 {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return ids[i]
		}
		x -= w
	}
	return ids[len(ids)-1]
}

// vocabulary is the demo articles' words, most frequent first, and for
// each word the words that follow it in the text (repeated as often as
// they do).
func vocabulary(dir string) ([]string, map[string][]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil || len(files) == 0 {
		return nil, nil, fmt.Errorf("no demo articles in %s (run from the repository's root): %v", dir, err)
	}
	count := map[string]int{}
	follows := map[string][]string{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, nil, err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			prev := ""
			for _, w := range strings.FieldsFunc(sc.Text(), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
				if len(w) > 1 && !strings.Contains(w, "'") {
					w = strings.ToLower(w)
					count[w]++
					if prev != "" {
						follows[prev] = append(follows[prev], w)
					}
					prev = w
				}
			}
		}
		_ = fh.Close() // read only
	}
	words := make([]string, 0, len(count))
	for w := range count {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if count[words[i]] != count[words[j]] {
			return count[words[i]] > count[words[j]]
		}
		return words[i] < words[j]
	})
	return words, follows, nil
}

type writer struct {
	r       *rand.Rand
	vocab   []string
	follows map[string][]string
	zipf    *rand.Zipf
}

// word is the next word after prev ("" at the start of a sentence).
func (w writer) word(prev string, ko bool) string {
	if ko {
		return korean[w.r.IntN(len(korean))] + []string{"", "은", "이", "에서", "의", "를", "과"}[w.r.IntN(7)]
	}
	if next := w.follows[prev]; len(next) > 0 && w.r.IntN(2) == 0 {
		return next[w.r.IntN(len(next))]
	}
	return w.vocab[w.zipf.Uint64()]
}

func (w writer) sentence(lo, hi int, ko bool) string {
	n := lo + w.r.IntN(hi-lo+1)
	words := make([]string, n)
	prev := ""
	for i := range words {
		words[i] = w.word(prev, ko)
		prev = words[i]
	}
	words[0] = titleCase(words[0])
	return strings.Join(words, " ") + "."
}

// body is 6 to 16 paragraphs of 3 to 6 sentences: Markdown and its HTML.
func (w writer) body(ko bool) (string, string) {
	var md, html strings.Builder
	paras := 6 + w.r.IntN(11)
	for p := 0; p < paras; p++ {
		var para []string
		for s := 0; s < 3+w.r.IntN(4); s++ {
			para = append(para, w.sentence(8, 16, ko))
		}
		text := strings.Join(para, " ")
		if p > 0 {
			md.WriteString("\n\n")
		}
		md.WriteString(text)
		html.WriteString("<p>" + text + "</p>\n")
	}
	return md.String(), html.String()
}

func titleCase(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

func ensureSections(ctx context.Context, db *store.DB) ([]int64, []int, error) {
	have, err := db.Sections(ctx)
	if err != nil {
		return nil, nil, err
	}
	byPath := map[string]section.Section{}
	for _, s := range have {
		byPath[s.Path] = s
	}
	var ids []int64
	var weights []int
	for i, sp := range sectionPaths {
		s, ok := byPath[sp.path]
		if !ok {
			parent := int64(0)
			slug := sp.path
			if j := strings.LastIndexByte(sp.path, '/'); j >= 0 {
				parent, slug = byPath[sp.path[:j]].ID, sp.path[j+1:]
			}
			s = section.Section{Slug: slug, Name: sp.name, ParentID: parent, Position: i}
			if err := db.CreateSection(ctx, &s); err != nil {
				return nil, nil, err
			}
			byPath[s.Path] = s
		}
		if sp.weight > 0 {
			ids, weights = append(ids, s.ID), append(weights, sp.weight)
		}
	}
	return ids, weights, nil
}

var givenNames = strings.Fields("Mina Jun Seo-yeon Ha-eun Ji-ho Min-jun Do-yoon Ye-jin Hyun-woo Soo-ah Tae-yang Eun-ji Alex Sam Robin Morgan Kim Lee Park Choi")
var familyNames = strings.Fields("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Ryu Hong")

func ensureAuthors(ctx context.Context, db *store.DB, r *rand.Rand) ([]int64, error) {
	var ids []int64
	for i := 0; i < 300; i++ {
		name := givenNames[r.IntN(len(givenNames))] + " " + familyNames[r.IntN(len(familyNames))]
		a := author.Author{Name: name, Email: fmt.Sprintf("writer%03d@paper.example", i), Slug: fmt.Sprintf("writer-%03d", i)}
		if err := db.SaveAuthor(ctx, &a); err != nil {
			return nil, err
		}
		ids = append(ids, a.ID)
	}
	return ids, nil
}
