package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
)

// listCols are the columns of an article in a list; the body stays behind.
const listCols = `a.id, a.slug, a.headline, a.deck, a.section_id, a.status, a.published_at,
	a.created_at, a.updated_at, a.image_url, a.image_caption, a.image_credit, a.image_alt,
	COALESCE(a.created_by, 0), a.version, a.image_srcset, a.image_width, a.image_height, a.seo_title, a.seo_description, a.comment_mode`

func scanListArticle(row interface{ Scan(...any) error }) (article.Article, error) {
	var a article.Article
	err := scanArticleInto(row, &a)
	return a, err
}

// scanArticleInto reads listCols, then any extra columns, into a.
func scanArticleInto(row interface{ Scan(...any) error }, a *article.Article, extra ...any) error {
	var pub sql.NullInt64
	var created, updated int64
	dest := append([]any{&a.ID, &a.Slug, &a.Headline, &a.Deck, &a.SectionID, &a.Status, &pub,
		&created, &updated, &a.LeadImage.URL, &a.LeadImage.Caption, &a.LeadImage.Credit, &a.LeadImage.Alt,
		&a.CreatedBy, &a.Version, &a.LeadImage.Srcset, &a.LeadImage.Width, &a.LeadImage.Height,
		&a.SEOTitle, &a.SEODescription, &a.CommentMode}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	a.PublishedAt, a.CreatedAt, a.UpdatedAt = fromNullMS(pub), fromMS(created), fromMS(updated)
	return nil
}

// Article loads one article with its body, bylines and tags.
func (db *DB) Article(ctx context.Context, id int64) (article.Article, error) {
	var a article.Article
	err := scanArticleInto(db.queryRow(ctx, `SELECT `+listCols+`, a.body, a.body_html FROM articles a WHERE a.id = ?`, id),
		&a, &a.Body, &a.BodyHTML)
	if err != nil {
		return article.Article{}, fmt.Errorf("store: article %d: %w", id, notFound(err, article.ErrNotFound))
	}
	if a.Authors, err = db.articleAuthors(ctx, id); err != nil {
		return article.Article{}, err
	}
	if a.Tags, err = db.articleTags(ctx, id); err != nil {
		return article.Article{}, err
	}
	if a.Corrections, err = db.Corrections(ctx, id); err != nil {
		return article.Article{}, err
	}
	if a.AlsoIn, err = db.articleAlsoIn(ctx, id); err != nil {
		return article.Article{}, err
	}
	if err := db.articleTranslation(ctx, &a); err != nil {
		return article.Article{}, err
	}
	return a, nil
}

func (db *DB) articleAuthors(ctx context.Context, id int64) ([]author.Author, error) {
	rows, err := db.query(ctx, `SELECT au.id, au.slug, au.name, au.title, au.email, au.bio, au.photo_url
		FROM article_authors aa JOIN authors au ON au.id = aa.author_id
		WHERE aa.article_id = ? ORDER BY aa.position`, id)
	if err != nil {
		return nil, fmt.Errorf("store: article %d authors: %w", id, err)
	}
	defer rows.Close()
	var out []author.Author
	for rows.Next() {
		au, err := scanAuthor(rows)
		if err != nil {
			return nil, fmt.Errorf("store: article %d authors: %w", id, err)
		}
		out = append(out, au)
	}
	return out, rows.Err()
}

func (db *DB) articleTags(ctx context.Context, id int64) ([]article.Tag, error) {
	rows, err := db.query(ctx, `SELECT t.id, t.slug, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id = ? ORDER BY at.position`, id)
	if err != nil {
		return nil, fmt.Errorf("store: article %d tags: %w", id, err)
	}
	defer rows.Close()
	var out []article.Tag
	for rows.Next() {
		var t article.Tag
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name); err != nil {
			return nil, fmt.Errorf("store: article %d tags: %w", id, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// LoadBylinesAndTags fills in the authors and tags of every article in
// list, which ListArticles leaves out, with one query for each.
func (db *DB) LoadBylinesAndTags(ctx context.Context, list []article.Article) error {
	if len(list) == 0 {
		return nil
	}
	index := make(map[int64]int, len(list))
	ids := make([]any, len(list))
	for i, a := range list {
		index[a.ID], ids[i] = i, a.ID
	}
	in := placeholders(len(ids))
	rows, err := db.query(ctx, `SELECT aa.article_id, au.id, au.slug, au.name, au.title, au.email, au.bio
		FROM article_authors aa JOIN authors au ON au.id = aa.author_id
		WHERE aa.article_id IN (`+in+`) ORDER BY aa.article_id, aa.position`, ids...)
	if err != nil {
		return fmt.Errorf("store: bylines of %d articles: %w", len(list), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var au author.Author
		if err := rows.Scan(&id, &au.ID, &au.Slug, &au.Name, &au.Title, &au.Email, &au.Bio); err != nil {
			return fmt.Errorf("store: bylines of %d articles: %w", len(list), err)
		}
		a := &list[index[id]]
		a.Authors = append(a.Authors, au)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: bylines of %d articles: %w", len(list), err)
	}
	trows, err := db.query(ctx, `SELECT at.article_id, t.id, t.slug, t.name
		FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id IN (`+in+`) ORDER BY at.article_id, at.position`, ids...)
	if err != nil {
		return fmt.Errorf("store: tags of %d articles: %w", len(list), err)
	}
	defer trows.Close()
	for trows.Next() {
		var id int64
		var t article.Tag
		if err := trows.Scan(&id, &t.ID, &t.Slug, &t.Name); err != nil {
			return fmt.Errorf("store: tags of %d articles: %w", len(list), err)
		}
		a := &list[index[id]]
		a.Tags = append(a.Tags, t)
	}
	if err := trows.Err(); err != nil {
		return fmt.Errorf("store: tags of %d articles: %w", len(list), err)
	}
	return nil
}

func (db *DB) articleAlsoIn(ctx context.Context, id int64) ([]int64, error) {
	rows, err := db.query(ctx, `SELECT section_id FROM article_sections WHERE article_id = ? ORDER BY section_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: article %d other sections: %w", id, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("store: article %d other sections: %w", id, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ListArticles returns one page of articles, newest first, continuing after
// q.After. Public lists (Status published) are ordered by publication time
// and served by the (section_id, status, published_at, id) index; staff
// lists of any status fall back to the creation time for drafts.
//
// A section's list also holds the articles filed elsewhere that name the
// section among their other sections. They are read by a second query
// and merged, so that the main query keeps walking its index in order.
//
// The query's scope is required (article.ErrNoScope without one): a
// public scope lists published articles only, a staff member's own scope
// only the articles they created.
func (db *DB) ListArticles(ctx context.Context, q article.ListQuery) ([]article.Article, error) {
	publishedOnly, createdBy, err := q.Scope.Limits()
	if err != nil {
		return nil, fmt.Errorf("store: list articles: %w", err)
	}
	if publishedOnly {
		if q.Status != "" && q.Status != article.Published {
			return nil, nil
		}
		q.Status = article.Published
	}
	if newsroomList(q) {
		return db.findArticles(ctx, q)
	}
	list, err := db.listArticles(ctx, q, createdBy, false)
	if err != nil || len(q.SectionIDs) == 0 {
		return list, err
	}
	also, err := db.listArticles(ctx, q, createdBy, true)
	if err != nil || len(also) == 0 {
		return list, err
	}
	key := func(a article.Article) article.Cursor {
		if a.PublishedAt.IsZero() { // drafts sort by creation, as in the query
			return article.Cursor{PublishedAt: a.CreatedAt, ID: a.ID}
		}
		return article.Cursor{PublishedAt: a.PublishedAt, ID: a.ID}
	}
	merged := make([]article.Article, 0, len(list)+len(also))
	i, j := 0, 0
	for i < len(list) || j < len(also) {
		if j == len(also) || i < len(list) && newer(key(list[i]), key(also[j])) {
			merged = append(merged, list[i])
			i++
		} else {
			merged = append(merged, also[j])
			j++
		}
	}
	if limit := listLimit(q.Limit); len(merged) > limit {
		merged = merged[:limit]
	}
	return merged, nil
}

// newer orders cursors newest first, as the lists are.
func newer(a, b article.Cursor) bool {
	if !a.PublishedAt.Equal(b.PublishedAt) {
		return a.PublishedAt.After(b.PublishedAt)
	}
	return a.ID > b.ID
}

func listLimit(n int) int {
	if n <= 0 || n > 100 {
		return 20
	}
	return n
}

// listArticles runs one list query; alsoIn lists, instead of the articles
// filed in q's sections, those filed elsewhere that name them as other
// sections.
func (db *DB) listArticles(ctx context.Context, q article.ListQuery, createdBy int64, alsoIn bool) ([]article.Article, error) {
	// A topic's published articles are read in the order of the
	// article_tags_published index (tag_id, published_at, article_id),
	// each link joined to its article by id, so a page reads a page of
	// rows however many articles the tag has. Ordered by the articles'
	// own columns instead, all of a tag's articles were read and sorted.
	topic := q.TagID != 0 && q.Status == article.Published
	sortKey, idKey := "a.published_at", "a.id"
	switch {
	case topic:
		sortKey, idKey = "at.published_at", "at.article_id"
	case q.Status != article.Published:
		sortKey = "COALESCE(a.published_at, a.created_at)"
	}
	var sb strings.Builder
	var args []any
	if topic {
		sb.WriteString(`SELECT ` + listCols + ` FROM article_tags at JOIN articles a ON a.id = at.article_id`)
	} else {
		sb.WriteString(`SELECT ` + listCols + ` FROM articles a`)
	}
	if q.AuthorID != 0 {
		sb.WriteString(` JOIN article_authors aa ON aa.article_id = a.id AND aa.author_id = ?`)
		args = append(args, q.AuthorID)
	}
	if q.TagID != 0 && !topic {
		sb.WriteString(` JOIN article_tags at ON at.article_id = a.id AND at.tag_id = ?`)
		args = append(args, q.TagID)
	}
	sb.WriteString(` WHERE 1 = 1`)
	if topic {
		// A link's published_at is set only while its article is
		// published, so this is the status filter too.
		sb.WriteString(` AND at.tag_id = ? AND at.published_at IS NOT NULL`)
		args = append(args, q.TagID)
	} else if q.Status != "" {
		sb.WriteString(` AND a.status = ?`)
		args = append(args, string(q.Status))
	}
	if createdBy != 0 {
		sb.WriteString(` AND a.created_by = ?`)
		args = append(args, createdBy)
	}
	if len(q.SectionIDs) > 0 {
		ph := placeholders(len(q.SectionIDs))
		if alsoIn {
			sb.WriteString(` AND a.section_id NOT IN (` + ph + `) AND a.id IN (SELECT article_id FROM article_sections WHERE section_id IN (` + ph + `))`)
			for _, id := range q.SectionIDs {
				args = append(args, id)
			}
		} else {
			sb.WriteString(` AND a.section_id IN (` + ph + `)`)
		}
		for _, id := range q.SectionIDs {
			args = append(args, id)
		}
	}
	if len(q.ExcludeIDs) > 0 {
		sb.WriteString(` AND a.id NOT IN (` + placeholders(len(q.ExcludeIDs)) + `)`)
		for _, id := range q.ExcludeIDs {
			args = append(args, id)
		}
	}
	if !q.After.IsZero() {
		t := ms(q.After.PublishedAt)
		if topic {
			// The OR below cannot bound an index range; this can, so a
			// later page starts where the last one ended.
			sb.WriteString(` AND ` + sortKey + ` <= ?`)
			args = append(args, t)
		}
		sb.WriteString(` AND (` + sortKey + ` < ? OR (` + sortKey + ` = ? AND ` + idKey + ` < ?))`)
		args = append(args, t, t, q.After.ID)
	}
	limit := listLimit(q.Limit)
	sb.WriteString(` ORDER BY ` + sortKey + ` DESC, ` + idKey + ` DESC LIMIT ?`)
	args = append(args, limit)

	rows, err := db.query(ctx, sb.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list articles: %w", err)
	}
	defer rows.Close()
	var out []article.Article
	for rows.Next() {
		a, err := scanListArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list articles: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list articles: %w", err)
	}
	return out, nil
}

// TopStories lists the published articles the editors picked for the top
// of the home page, in their order.
func (db *DB) TopStories(ctx context.Context, limit int) ([]article.Article, error) {
	return db.articles(ctx, "top stories", `SELECT `+listCols+` FROM top_stories ts JOIN articles a ON a.id = ts.article_id
		WHERE a.status = 'published' ORDER BY ts.position, a.id LIMIT ?`, limit)
}

// articles runs a query for listCols rows and reads them; what names the
// list in errors.
func (db *DB) articles(ctx context.Context, what, query string, args ...any) ([]article.Article, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []article.Article
	for rows.Next() {
		a, err := scanListArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetTopStories replaces the home page's editor-picked order.
func (db *DB) SetTopStories(ctx context.Context, ids []int64) error {
	return db.tx(ctx, func(t *txn) error {
		if _, err := t.exec(ctx, `DELETE FROM top_stories`); err != nil {
			return fmt.Errorf("store: set top stories: %w", err)
		}
		for i, id := range ids {
			if _, err := t.exec(ctx, `INSERT INTO top_stories (article_id, position) VALUES (?, ?)`, id, i); err != nil {
				return fmt.Errorf("store: set top stories: article %d: %w", id, err)
			}
		}
		return nil
	})
}

// CreateArticle stores a new article with its bylines and tags, matching
// authors by email and tags by slug, all in one transaction.
func (db *DB) CreateArticle(ctx context.Context, a *article.Article) error {
	return db.tx(ctx, func(t *txn) error {
		var createdBy any
		if a.CreatedBy != 0 {
			createdBy = a.CreatedBy
		}
		a.Version = 1
		err := t.queryRow(ctx, `INSERT INTO articles (slug, headline, deck, body, body_html, section_id, status,
			published_at, created_at, updated_at, image_url, image_caption, image_credit, image_alt, created_by, version,
			image_srcset, image_width, image_height, seo_title, seo_description)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.Slug, a.Headline, a.Deck, a.Body, a.BodyHTML, a.SectionID, string(a.Status),
			nullMS(a.PublishedAt), ms(a.CreatedAt), ms(a.UpdatedAt),
			a.LeadImage.URL, a.LeadImage.Caption, a.LeadImage.Credit, a.LeadImage.Alt, createdBy, a.Version,
			a.LeadImage.Srcset, a.LeadImage.Width, a.LeadImage.Height, a.SEOTitle, a.SEODescription).Scan(&a.ID)
		if err != nil {
			return fmt.Errorf("store: create article: %w", err)
		}
		if a.Status == article.Published && !a.PublishedAt.IsZero() {
			if err := t.countInMonth(ctx, a.PublishedAt, +1, a.UpdatedAt); err != nil {
				return err
			}
		}
		if err := t.linkArticle(ctx, a); err != nil {
			return err
		}
		if err := t.indexArticle(ctx, a); err != nil {
			return err
		}
		return t.keepRevision(ctx, a)
	})
}

// UpdateArticle saves a's fields if the stored version is still
// expectedVersion, and bumps the version; otherwise it changes nothing and
// returns article.ErrVersionClash.
func (db *DB) UpdateArticle(ctx context.Context, a *article.Article, expectedVersion int) error {
	return db.tx(ctx, func(t *txn) error {
		// What the article was, for the monthly counts. Should another
		// writer change it before the UPDATE below, the version no longer
		// matches and the whole transaction is refused.
		var oldStatus string
		var oldPublished sql.NullInt64
		err := t.queryRow(ctx, `SELECT status, published_at FROM articles WHERE id = ?`, a.ID).Scan(&oldStatus, &oldPublished)
		if err != nil {
			return fmt.Errorf("store: update article %d: %w", a.ID, notFound(err, article.ErrNotFound))
		}
		res, err := t.exec(ctx, `UPDATE articles SET slug = ?, headline = ?, deck = ?, body = ?, body_html = ?,
			section_id = ?, status = ?, published_at = ?, updated_at = ?, image_url = ?, image_caption = ?,
			image_credit = ?, image_alt = ?, image_srcset = ?, image_width = ?, image_height = ?,
			seo_title = ?, seo_description = ?, version = version + 1
			WHERE id = ? AND version = ?`,
			a.Slug, a.Headline, a.Deck, a.Body, a.BodyHTML, a.SectionID, string(a.Status),
			nullMS(a.PublishedAt), ms(a.UpdatedAt), a.LeadImage.URL, a.LeadImage.Caption,
			a.LeadImage.Credit, a.LeadImage.Alt, a.LeadImage.Srcset, a.LeadImage.Width, a.LeadImage.Height,
			a.SEOTitle, a.SEODescription, a.ID, expectedVersion)
		if err != nil {
			return fmt.Errorf("store: update article %d: %w", a.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM articles WHERE id = ?`, a.ID).Scan(&exists); err != nil {
				return fmt.Errorf("store: update article %d: %w", a.ID, err)
			}
			if exists == 0 {
				return fmt.Errorf("store: update article %d: %w", a.ID, article.ErrNotFound)
			}
			return fmt.Errorf("store: update article %d: %w", a.ID, article.ErrVersionClash)
		}
		a.Version = expectedVersion + 1
		if oldStatus == string(article.Published) && oldPublished.Valid {
			if err := t.countInMonth(ctx, fromMS(oldPublished.Int64), -1, a.UpdatedAt); err != nil {
				return err
			}
		}
		if a.Status == article.Published && !a.PublishedAt.IsZero() {
			if err := t.countInMonth(ctx, a.PublishedAt, +1, a.UpdatedAt); err != nil {
				return err
			}
		}
		for _, q := range []string{`DELETE FROM article_authors WHERE article_id = ?`, `DELETE FROM article_tags WHERE article_id = ?`,
			`DELETE FROM article_sections WHERE article_id = ?`} {
			if _, err := t.exec(ctx, q, a.ID); err != nil {
				return fmt.Errorf("store: update article %d: %w", a.ID, err)
			}
		}
		if err := t.linkArticle(ctx, a); err != nil {
			return err
		}
		if err := t.indexArticle(ctx, a); err != nil {
			return err
		}
		return t.keepRevision(ctx, a)
	})
}

// linkArticle stores a's bylines, tags and other sections, creating
// missing authors and tags.
func (t *txn) linkArticle(ctx context.Context, a *article.Article) error {
	for _, id := range a.AlsoIn {
		if _, err := t.exec(ctx, `INSERT INTO article_sections (article_id, section_id) VALUES (?, ?)`, a.ID, id); err != nil {
			return fmt.Errorf("store: article %d other section: %w", a.ID, err)
		}
	}
	for i := range a.Authors {
		if err := t.matchAuthor(ctx, &a.Authors[i]); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO article_authors (article_id, author_id, position) VALUES (?, ?, ?)`,
			a.ID, a.Authors[i].ID, i); err != nil {
			return fmt.Errorf("store: article %d byline: %w", a.ID, err)
		}
	}
	for i := range a.Tags {
		tg := &a.Tags[i]
		// DO NOTHING, not an error, when another writer adds the tag first.
		_, err := t.exec(ctx, `INSERT INTO tags (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING`, tg.Slug, tg.Name)
		if err == nil {
			err = t.queryRow(ctx, `SELECT id, name FROM tags WHERE slug = ?`, tg.Slug).Scan(&tg.ID, &tg.Name)
		}
		if err != nil {
			return fmt.Errorf("store: article %d tag %q: %w", a.ID, tg.Slug, err)
		}
		if _, err := t.exec(ctx, `INSERT INTO article_tags (article_id, tag_id, position, published_at) VALUES (?, ?, ?, ?)`,
			a.ID, tg.ID, i, tagPublishedAt(a)); err != nil {
			return fmt.Errorf("store: article %d tag: %w", a.ID, err)
		}
	}
	return nil
}

// tagPublishedAt is what a's tag links hold as published_at, the key of
// the topic pages' index: its publication time while it is published,
// NULL while it is a draft or scheduled, so that those never reach a
// topic page. Every save relinks the tags, which keeps it in step.
func tagPublishedAt(a *article.Article) sql.NullInt64 {
	if a.Status != article.Published {
		return sql.NullInt64{}
	}
	return nullMS(a.PublishedAt)
}

// TagBySlug finds a tag.
func (db *DB) TagBySlug(ctx context.Context, slug string) (article.Tag, error) {
	var t article.Tag
	err := db.queryRow(ctx, `SELECT id, slug, name FROM tags WHERE slug = ?`, slug).Scan(&t.ID, &t.Slug, &t.Name)
	if err != nil {
		return article.Tag{}, fmt.Errorf("store: tag %q: %w", slug, notFound(err, article.ErrNotFound))
	}
	return t, nil
}

// TagNames lists up to limit tag names, most used first, for the
// editor's suggestions.
func (db *DB) TagNames(ctx context.Context, limit int) ([]string, error) {
	rows, err := db.query(ctx, `SELECT t.name FROM tags t LEFT JOIN article_tags at ON at.tag_id = t.id
		GROUP BY t.id, t.name ORDER BY COUNT(at.article_id) DESC, t.name LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: tag names: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: tag names: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// SectionPicks lists the published articles the editors put at the top of
// a section front, in their order.
func (db *DB) SectionPicks(ctx context.Context, sectionID int64, limit int) ([]article.Article, error) {
	return db.articles(ctx, "section picks", `SELECT `+listCols+` FROM section_picks sp JOIN articles a ON a.id = sp.article_id
		WHERE sp.section_id = ? AND a.status = 'published' ORDER BY sp.position, a.id LIMIT ?`, sectionID, limit)
}

// SetSectionPicks replaces a section front's editor-picked order.
func (db *DB) SetSectionPicks(ctx context.Context, sectionID int64, ids []int64) error {
	return db.tx(ctx, func(t *txn) error {
		if _, err := t.exec(ctx, `DELETE FROM section_picks WHERE section_id = ?`, sectionID); err != nil {
			return fmt.Errorf("store: set section picks: %w", err)
		}
		for i, id := range ids {
			if _, err := t.exec(ctx, `INSERT INTO section_picks (section_id, article_id, position) VALUES (?, ?, ?)`, sectionID, id, i); err != nil {
				return fmt.Errorf("store: set section picks: article %d: %w", id, err)
			}
		}
		return nil
	})
}
