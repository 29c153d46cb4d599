package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"broadsheet/internal/comment"
)

const commentCols = `c.id, c.article_id, COALESCE(c.parent_id, 0), COALESCE(c.reader_id, 0),
	COALESCE(r.display_name, ''), COALESCE(r.avatar_url, ''), c.body, c.status, COALESCE(c.rule, 0), c.mod_reason,
	c.likes, c.dislikes, c.reports, c.replies, c.created_at, c.edited_at`

const commentFrom = ` FROM comments c LEFT JOIN readers r ON r.id = c.reader_id`

func scanComment(row interface{ Scan(...any) error }) (comment.Comment, error) {
	var c comment.Comment
	var created int64
	var edited sql.NullInt64
	err := row.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.ReaderID, &c.ReaderName, &c.ReaderAvatar, &c.Body,
		&c.Status, &c.Rule, &c.ModReason, &c.Likes, &c.Dislikes, &c.Reports, &c.Replies, &created, &edited)
	c.CreatedAt, c.EditedAt = fromMS(created), fromNullMS(edited)
	return c, err
}

// Comment loads one comment.
func (db *DB) Comment(ctx context.Context, id int64) (comment.Comment, error) {
	c, err := scanComment(db.queryRow(ctx, `SELECT `+commentCols+commentFrom+` WHERE c.id = ?`, id))
	if err != nil {
		return comment.Comment{}, notFound(err, comment.ErrNotFound)
	}
	return c, nil
}

// CommentTarget loads what posting on an article depends on: whether it
// is published, and the comment modes of the article and of its section
// and the section's ancestors, nearest first.
func (db *DB) CommentTarget(ctx context.Context, articleID int64) (comment.Target, error) {
	t := comment.Target{ArticleID: articleID}
	var sectionID int64
	var status, mode string
	var pub sql.NullInt64
	if err := db.queryRow(ctx, `SELECT status, published_at, comment_mode, section_id FROM articles WHERE id = ?`, articleID).
		Scan(&status, &pub, &mode, &sectionID); err != nil {
		return t, notFound(err, comment.ErrNoArticle)
	}
	t.Published, t.PublishedAt, t.ArticleMode = status == "published", fromNullMS(pub), comment.Mode(mode)
	for id, depth := sectionID, 0; id != 0 && depth < 64; depth++ {
		var parent sql.NullInt64
		if err := db.queryRow(ctx, `SELECT comment_mode, parent_id FROM sections WHERE id = ?`, id).Scan(&mode, &parent); err != nil {
			return t, fmt.Errorf("store: section %d mode: %w", id, err)
		}
		t.SectionModes = append(t.SectionModes, comment.Mode(mode))
		id = parent.Int64
	}
	return t, nil
}

// SetArticleCommentMode sets an article's own mode ("" inherits).
func (db *DB) SetArticleCommentMode(ctx context.Context, id int64, mode comment.Mode) error {
	return db.setMode(ctx, `UPDATE articles SET comment_mode = ? WHERE id = ?`, mode, id, comment.ErrNoArticleToModerate)
}

// SetSectionCommentMode sets a section's mode ("" inherits).
func (db *DB) SetSectionCommentMode(ctx context.Context, id int64, mode comment.Mode) error {
	return db.setMode(ctx, `UPDATE sections SET comment_mode = ? WHERE id = ?`, mode, id, comment.ErrNoSection)
}

func (db *DB) setMode(ctx context.Context, q string, mode comment.Mode, id int64, missing error) error {
	res, err := db.exec(ctx, q, string(mode), id)
	if err != nil {
		return fmt.Errorf("store: set comment mode: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return missing
	}
	return nil
}

// InsertComment stores c after check has accepted the reader's recent
// activity. The counts and the insert share one transaction, and the
// reader's row is written first: PostgreSQL then queues a reader's
// concurrent posts behind that row lock, and SQLite's write lock already
// queues every writer, so no limit can be overrun by posting in parallel.
func (db *DB) InsertComment(ctx context.Context, c *comment.Comment, ipHash, fingerprint string, q comment.PostQuery,
	check func(comment.PostStats) error) error {
	return db.tx(ctx, func(t *txn) error {
		var last int64
		if err := t.queryRow(ctx, `UPDATE readers SET last_comment_at = last_comment_at WHERE id = ? RETURNING last_comment_at`,
			c.ReaderID).Scan(&last); err != nil {
			return fmt.Errorf("store: lock reader %d: %w", c.ReaderID, notFound(err, comment.ErrNotFound))
		}
		st := comment.PostStats{DayStarted: q.DayStart}
		if last > 0 {
			st.Last = fromMS(last)
		}
		// Each count stops at its limit: past it, the exact number does not
		// matter, and a prolific reader or busy network would otherwise make
		// every post read their whole history inside the write lock.
		counts := []struct {
			on    bool
			dest  *int
			query string
			args  []any
		}{
			{q.MaxToday > 0, &st.Today, `SELECT COUNT(*) FROM (SELECT 1 FROM comments WHERE reader_id = ? AND created_at >= ? LIMIT ?) x`,
				[]any{c.ReaderID, ms(q.DayStart), q.MaxToday}},
			{q.MaxOnArticle > 0, &st.OnArticle, `SELECT COUNT(*) FROM (SELECT 1 FROM comments WHERE reader_id = ? AND article_id = ? LIMIT ?) x`,
				[]any{c.ReaderID, c.ArticleID, q.MaxOnArticle}},
			{q.MaxIP > 0 && ipHash != "", &st.IPHour, `SELECT COUNT(*) FROM (SELECT 1 FROM comments WHERE ip_hash = ? AND created_at >= ? LIMIT ?) x`,
				[]any{ipHash, ms(q.IPSince), q.MaxIP}},
		}
		for _, n := range counts {
			if !n.on {
				continue
			}
			if err := t.queryRow(ctx, n.query, n.args...).Scan(n.dest); err != nil {
				return fmt.Errorf("store: comment limits: %w", err)
			}
		}
		if q.CheckDuplicate {
			var one int
			err := t.queryRow(ctx, `SELECT 1 FROM comments WHERE reader_id = ? AND body_hash = ? AND created_at >= ? AND status <> 'deleted' LIMIT 1`,
				c.ReaderID, fingerprint, ms(q.DuplicateSince)).Scan(&one)
			switch {
			case err == nil:
				st.Duplicate = true
			case !errors.Is(err, errNoRows):
				return fmt.Errorf("store: repeated comment: %w", err)
			}
		}
		if err := check(st); err != nil {
			return err
		}
		if c.ParentID != 0 && c.Status == comment.Visible {
			if _, err := t.exec(ctx, `UPDATE comments SET replies = replies + 1 WHERE id = ?`, c.ParentID); err != nil {
				return fmt.Errorf("store: count reply: %w", err)
			}
		}
		err := t.queryRow(ctx, `INSERT INTO comments (article_id, parent_id, reader_id, body, status, rule, body_hash, ip_hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ArticleID, nullID(c.ParentID), c.ReaderID, c.Body, string(c.Status), nullRule(c.Rule), fingerprint, ipHash,
			ms(c.CreatedAt)).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("store: insert comment: %w", err)
		}
		if _, err := t.exec(ctx, `UPDATE readers SET last_comment_at = ? WHERE id = ?`, ms(c.CreatedAt), c.ReaderID); err != nil {
			return fmt.Errorf("store: note comment time: %w", err)
		}
		return nil
	})
}

func nullRule(n int) sql.NullInt64 { return sql.NullInt64{Int64: int64(n), Valid: n != 0} }

// shown is who sees a comment: everyone for visible ones, everyone for a
// deleted top-level comment that still has replies (as a placeholder),
// and its author for their own held or rejected ones.
const shown = `(c.status = 'visible' OR (c.status = 'deleted' AND c.replies > 0 AND c.parent_id IS NULL)
	OR (c.reader_id = ? AND c.status IN ('held', 'rejected')))`

// ListComments returns a page of top-level comments, each with its
// replies, and the article's count of visible comments.
func (db *DB) ListComments(ctx context.Context, q comment.ListQuery) (comment.Page, error) {
	order := `c.created_at DESC, c.id DESC`
	switch q.Sort {
	case comment.Oldest:
		order = `c.created_at, c.id`
	case comment.Best:
		order = `c.score DESC, c.id DESC`
	}
	p := comment.Page{Sort: q.Sort, Offset: q.Offset}
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM comments WHERE article_id = ? AND status = 'visible'`, q.ArticleID).
		Scan(&p.Total); err != nil {
		return p, fmt.Errorf("store: count comments: %w", err)
	}
	top, err := db.scanComments(ctx, `SELECT `+commentCols+commentFrom+`
		WHERE c.article_id = ? AND c.parent_id IS NULL AND `+shown+`
		ORDER BY `+order+` LIMIT ? OFFSET ?`, q.ArticleID, q.Viewer, q.Limit+1, q.Offset)
	if err != nil {
		return p, err
	}
	if len(top) > q.Limit {
		top, p.More = top[:q.Limit], true
	}
	if len(top) == 0 {
		return p, nil
	}
	ids := make([]any, len(top))
	byID := make(map[int64]int, len(top))
	for i, c := range top {
		ids[i], byID[c.ID] = c.ID, i
	}
	replies, err := db.scanComments(ctx, `SELECT `+commentCols+commentFrom+`
		WHERE c.article_id = ? AND c.parent_id IN (`+placeholders(len(ids))+`) AND `+shown+`
		ORDER BY c.created_at, c.id`, append(append([]any{q.ArticleID}, ids...), q.Viewer)...)
	if err != nil {
		return p, err
	}
	mine := map[int64]int{}
	if q.Viewer != 0 {
		if mine, err = db.reactions(ctx, q.Viewer, top, replies); err != nil {
			return p, err
		}
	}
	for _, r := range replies {
		i := byID[r.ParentID]
		if len(top[i].Thread) < comment.MaxReplies {
			r.Mine = mine[r.ID]
			top[i].Thread = append(top[i].Thread, r)
		}
	}
	for i := range top {
		top[i].Mine = mine[top[i].ID]
	}
	p.Comments = top
	return p, nil
}

func (db *DB) reactions(ctx context.Context, viewer int64, lists ...[]comment.Comment) (map[int64]int, error) {
	var ids []any
	for _, l := range lists {
		for _, c := range l {
			ids = append(ids, c.ID)
		}
	}
	out := map[int64]int{}
	for len(ids) > 0 {
		n := min(len(ids), 200)
		rows, err := db.sql.QueryContext(ctx, db.d.q(`SELECT comment_id, value FROM comment_reactions
			WHERE reader_id = ? AND comment_id IN (`+placeholders(n)+`)`), append([]any{viewer}, ids[:n]...)...)
		if err != nil {
			return nil, fmt.Errorf("store: reactions: %w", err)
		}
		for rows.Next() {
			var id int64
			var v int
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: reactions: %w", err)
			}
			out[id] = v
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("store: reactions: %w", err)
		}
		ids = ids[n:]
	}
	return out, nil
}

func (db *DB) scanComments(ctx context.Context, query string, args ...any) ([]comment.Comment, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	defer rows.Close()
	var out []comment.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, fmt.Errorf("store: comments: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	return out, nil
}

// EditComment replaces a comment's text; the status may change too, when
// the new text is held for review.
func (db *DB) EditComment(ctx context.Context, c comment.Comment, fingerprint string) error {
	return db.tx(ctx, func(t *txn) error {
		var old string
		var parent sql.NullInt64
		if err := t.queryRow(ctx, `SELECT status, parent_id FROM comments WHERE id = ?`, c.ID).Scan(&old, &parent); err != nil {
			return notFound(err, comment.ErrNotFound)
		}
		if err := adjustReplies(ctx, t, parent.Int64, comment.Status(old), c.Status); err != nil {
			return err
		}
		_, err := t.exec(ctx, `UPDATE comments SET body = ?, body_hash = ?, status = ?, rule = ?, edited_at = ? WHERE id = ?`,
			c.Body, fingerprint, string(c.Status), nullRule(c.Rule), ms(c.EditedAt), c.ID)
		if err != nil {
			return fmt.Errorf("store: edit comment %d: %w", c.ID, err)
		}
		return nil
	})
}

// adjustReplies keeps a parent's count of visible replies right when a
// reply's status changes.
func adjustReplies(ctx context.Context, t *txn, parent int64, from, to comment.Status) error {
	if parent == 0 || (from == comment.Visible) == (to == comment.Visible) {
		return nil
	}
	delta := 1
	if from == comment.Visible {
		delta = -1
	}
	if _, err := t.exec(ctx, `UPDATE comments SET replies = replies + ? WHERE id = ?`, delta, parent); err != nil {
		return fmt.Errorf("store: count replies: %w", err)
	}
	return nil
}

// SetCommentStatus changes a comment's status, records the decision in
// the moderation log, and reports the comment as it was before. A
// deleted comment loses its text.
func (db *DB) SetCommentStatus(ctx context.Context, id int64, to comment.Status, e comment.LogEntry) (comment.Comment, error) {
	var before comment.Comment
	err := db.tx(ctx, func(t *txn) error {
		var err error
		before, err = scanComment(t.queryRow(ctx, `SELECT `+commentCols+commentFrom+` WHERE c.id = ?`, id))
		if err != nil {
			return notFound(err, comment.ErrNotFound)
		}
		if err := adjustReplies(ctx, t, before.ParentID, before.Status, to); err != nil {
			return err
		}
		q := `UPDATE comments SET status = ?, rule = ?, mod_reason = ? WHERE id = ?`
		if to == comment.Deleted {
			q = `UPDATE comments SET status = ?, rule = ?, mod_reason = ?, body = '' WHERE id = ?`
		}
		if to == comment.Visible {
			q = `UPDATE comments SET status = ?, rule = ?, mod_reason = ?, reports = 0 WHERE id = ?`
		}
		if _, err := t.exec(ctx, q, string(to), nullRule(e.Rule), e.Reason, id); err != nil {
			return fmt.Errorf("store: set comment %d status: %w", id, err)
		}
		if to == comment.Visible {
			if _, err := t.exec(ctx, `DELETE FROM comment_reports WHERE comment_id = ?`, id); err != nil {
				return fmt.Errorf("store: clear reports: %w", err)
			}
		}
		e.CommentID, e.ReaderID = id, before.ReaderID
		return logTx(ctx, t, e)
	})
	return before, err
}

// LogModeration records a decision that changed nothing stored, such as
// a comment refused for a banned word.
func (db *DB) LogModeration(ctx context.Context, e comment.LogEntry) error {
	return db.tx(ctx, func(t *txn) error { return logTx(ctx, t, e) })
}

func logTx(ctx context.Context, t *txn, e comment.LogEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	_, err := t.exec(ctx, `INSERT INTO moderation_log (at, staff_id, action, comment_id, reader_id, rule, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, ms(e.At), nullID(e.StaffID), e.Action, nullID(e.CommentID), nullID(e.ReaderID),
		nullRule(e.Rule), e.Reason)
	if err != nil {
		return fmt.Errorf("store: moderation log: %w", err)
	}
	return nil
}

// ModerationLog lists log entries, newest first; readerID 0 means all.
func (db *DB) ModerationLog(ctx context.Context, readerID int64, before int64, limit int) ([]comment.LogEntry, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	q := `SELECT l.id, l.at, COALESCE(l.staff_id, 0), COALESCE(s.name, ''), l.action, COALESCE(l.comment_id, 0),
		COALESCE(l.reader_id, 0), COALESCE(l.rule, 0), l.reason
		FROM moderation_log l LEFT JOIN staff s ON s.id = l.staff_id WHERE l.id < ?`
	args := []any{before}
	if readerID != 0 {
		q += ` AND l.reader_id = ?`
		args = append(args, readerID)
	}
	rows, err := db.query(ctx, q+` ORDER BY l.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: moderation log: %w", err)
	}
	defer rows.Close()
	var out []comment.LogEntry
	for rows.Next() {
		var e comment.LogEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.StaffID, &e.StaffName, &e.Action, &e.CommentID, &e.ReaderID, &e.Rule, &e.Reason); err != nil {
			return nil, fmt.Errorf("store: moderation log: %w", err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// React sets a reader's reaction to a comment (1, -1, or 0 to take it
// back) after check accepts the reader's recent activity, and returns the
// comment's new counts. The reader's row is locked first, as for posting.
func (db *DB) React(ctx context.Context, readerID, commentID int64, value int, q comment.ReactQuery,
	check func(comment.ReactStats) error) (likes, dislikes int, err error) {
	err = db.tx(ctx, func(t *txn) error {
		var last int64
		if err := t.queryRow(ctx, `UPDATE readers SET last_reaction_at = last_reaction_at WHERE id = ? RETURNING last_reaction_at`,
			readerID).Scan(&last); err != nil {
			return notFound(err, comment.ErrNotFound)
		}
		var old sql.NullInt64
		err := t.queryRow(ctx, `SELECT value FROM comment_reactions WHERE comment_id = ? AND reader_id = ?`, commentID, readerID).Scan(&old)
		if err != nil && !errors.Is(err, errNoRows) {
			return fmt.Errorf("store: reaction: %w", err)
		}
		if int(old.Int64) == value {
			return t.queryRow(ctx, `SELECT likes, dislikes FROM comments WHERE id = ?`, commentID).Scan(&likes, &dislikes)
		}
		if value != 0 {
			st := comment.ReactStats{DayStarted: q.DayStart}
			if last > 0 {
				st.Last = fromMS(last)
			}
			if err := t.queryRow(ctx, `SELECT
				(SELECT COUNT(*) FROM comment_reactions WHERE reader_id = ? AND created_at >= ?),
				(SELECT COUNT(*) FROM comment_reactions WHERE ip_hash = ? AND ip_hash <> '' AND created_at >= ?)`,
				readerID, ms(q.DayStart), q.IPHash, ms(q.IPSince)).Scan(&st.Today, &st.IPHour); err != nil {
				return fmt.Errorf("store: reaction limits: %w", err)
			}
			if err := check(st); err != nil {
				return err
			}
		}
		now := ms(time.Now())
		var dl, dd int
		switch old.Int64 {
		case 1:
			dl--
		case -1:
			dd--
		}
		switch value {
		case 1:
			dl++
		case -1:
			dd++
		}
		if value == 0 {
			_, err = t.exec(ctx, `DELETE FROM comment_reactions WHERE comment_id = ? AND reader_id = ?`, commentID, readerID)
		} else {
			_, err = t.exec(ctx, `INSERT INTO comment_reactions (comment_id, reader_id, value, ip_hash, created_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (comment_id, reader_id) DO UPDATE SET value = excluded.value, created_at = excluded.created_at`,
				commentID, readerID, value, q.IPHash, now)
		}
		if err != nil {
			return fmt.Errorf("store: reaction: %w", err)
		}
		if err := t.queryRow(ctx, `UPDATE comments SET likes = likes + ?, dislikes = dislikes + ? WHERE id = ? RETURNING likes, dislikes`,
			dl, dd, commentID).Scan(&likes, &dislikes); err != nil {
			return fmt.Errorf("store: reaction counts: %w", notFound(err, comment.ErrNotFound))
		}
		if _, err := t.exec(ctx, `UPDATE comments SET score = ? WHERE id = ?`, comment.Score(likes, dislikes), commentID); err != nil {
			return fmt.Errorf("store: comment score: %w", err)
		}
		if value != 0 {
			if _, err := t.exec(ctx, `UPDATE readers SET last_reaction_at = ? WHERE id = ?`, now, readerID); err != nil {
				return fmt.Errorf("store: note reaction time: %w", err)
			}
		}
		return nil
	})
	return likes, dislikes, err
}

// Report records a reader's report; at hideAt reports a visible comment
// is held until a moderator looks. It reports whether that happened.
func (db *DB) Report(ctx context.Context, readerID, commentID int64, rule int, note string, hideAt int) (hidden bool, err error) {
	err = db.tx(ctx, func(t *txn) error {
		if _, err := t.exec(ctx, `INSERT INTO comment_reports (comment_id, reader_id, rule, reason, created_at) VALUES (?, ?, ?, ?, ?)`,
			commentID, readerID, rule, note, ms(time.Now())); err != nil {
			if isUniqueViolation(err) {
				return comment.ErrAlreadyReported
			}
			return fmt.Errorf("store: report: %w", err)
		}
		var n int
		var status string
		var parent, author sql.NullInt64
		if err := t.queryRow(ctx, `UPDATE comments SET reports = reports + 1 WHERE id = ? RETURNING reports, status, parent_id, reader_id`,
			commentID).Scan(&n, &status, &parent, &author); err != nil {
			return notFound(err, comment.ErrNotFound)
		}
		if n < hideAt || comment.Status(status) != comment.Visible {
			return nil
		}
		hidden = true
		if err := adjustReplies(ctx, t, parent.Int64, comment.Visible, comment.Held); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE comments SET status = 'held' WHERE id = ?`, commentID); err != nil {
			return fmt.Errorf("store: hide reported comment: %w", err)
		}
		return logTx(ctx, t, comment.LogEntry{Action: "auto_hide", CommentID: commentID, ReaderID: author.Int64,
			Reason: fmt.Sprintf("hidden after %d reports", n)})
	})
	return hidden, err
}

// Queue lists comments waiting for a moderator, oldest first, with the
// reasons readers gave for reporting them.
func (db *DB) Queue(ctx context.Context, q comment.QueueQuery) ([]comment.Queued, error) {
	var conds []string
	if q.Held {
		conds = append(conds, `c.status = 'held'`)
	}
	if q.Reported {
		conds = append(conds, `(c.status = 'visible' AND c.reports > 0)`)
	}
	if len(conds) == 0 {
		return nil, nil
	}
	list, err := db.scanComments(ctx, `SELECT `+commentCols+commentFrom+` WHERE `+strings.Join(conds, " OR ")+`
		ORDER BY c.created_at, c.id LIMIT ? OFFSET ?`, q.Limit, q.Offset)
	if err != nil {
		return nil, err
	}
	out := make([]comment.Queued, len(list))
	for i, c := range list {
		out[i].Comment = c
		rows, err := db.query(ctx, `SELECT rule, reason FROM comment_reports WHERE comment_id = ? ORDER BY created_at LIMIT 20`, c.ID)
		if err != nil {
			return nil, fmt.Errorf("store: reports: %w", err)
		}
		for rows.Next() {
			var rule int
			var s string
			if err := rows.Scan(&rule, &s); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: reports: %w", err)
			}
			out[i].Reasons = append(out[i].Reasons, comment.ReportLine(rule, s))
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("store: reports: %w", err)
		}
	}
	return out, nil
}

// ReaderComments lists a reader's comments, newest first. Public pages
// ask only for what the public may see: visible comments on published
// articles (an unpublished article takes its comments off the site with
// it). The reader's own export and the moderators see them all.
func (db *DB) ReaderComments(ctx context.Context, readerID int64, public bool, offset, limit int) ([]comment.Comment, error) {
	q := `SELECT ` + commentCols + commentFrom + ` WHERE c.reader_id = ?`
	if public {
		q += ` AND c.status = 'visible' AND EXISTS (SELECT 1 FROM articles a WHERE a.id = c.article_id AND a.status = 'published')`
	}
	return db.scanComments(ctx, q+` ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?`, readerID, limit, offset)
}

// ReaderReactions lists a reader's reactions, for their data export.
func (db *DB) ReaderReactions(ctx context.Context, readerID int64) ([]comment.Reaction, error) {
	rows, err := db.query(ctx, `SELECT comment_id, value, created_at FROM comment_reactions WHERE reader_id = ? ORDER BY created_at`, readerID)
	if err != nil {
		return nil, fmt.Errorf("store: reader reactions: %w", err)
	}
	defer rows.Close()
	var out []comment.Reaction
	for rows.Next() {
		var r comment.Reaction
		var at int64
		if err := rows.Scan(&r.CommentID, &r.Value, &at); err != nil {
			return nil, fmt.Errorf("store: reader reactions: %w", err)
		}
		r.At = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// BanReader bans a reader until a time (reader.Forever for good), or
// lifts the ban when until is zero, and logs it.
func (db *DB) BanReader(ctx context.Context, readerID int64, until time.Time, e comment.LogEntry) error {
	return db.tx(ctx, func(t *txn) error {
		res, err := t.exec(ctx, `UPDATE readers SET banned_until = ?, ban_rule = ?, ban_reason = ? WHERE id = ?`,
			nullMS(until), nullRule(e.Rule), e.Reason, readerID)
		if err != nil {
			return fmt.Errorf("store: ban reader %d: %w", readerID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return comment.ErrNoReader
		}
		e.ReaderID = readerID
		return logTx(ctx, t, e)
	})
}

// BannedWords lists the banned-word lists.
func (db *DB) BannedWords(ctx context.Context) ([]comment.BannedWord, error) {
	rows, err := db.query(ctx, `SELECT id, word, lang, action, rule FROM banned_words ORDER BY lang, word`)
	if err != nil {
		return nil, fmt.Errorf("store: banned words: %w", err)
	}
	defer rows.Close()
	var out []comment.BannedWord
	for rows.Next() {
		var w comment.BannedWord
		if err := rows.Scan(&w.ID, &w.Word, &w.Lang, &w.Action, &w.Rule); err != nil {
			return nil, fmt.Errorf("store: banned words: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SaveBannedWord adds a word or, when it is already listed for its
// language, changes its action and rule.
func (db *DB) SaveBannedWord(ctx context.Context, w *comment.BannedWord) error {
	err := db.queryRow(ctx, `INSERT INTO banned_words (word, lang, action, rule) VALUES (?, ?, ?, ?)
		ON CONFLICT (word, lang) DO UPDATE SET action = excluded.action, rule = excluded.rule RETURNING id`,
		w.Word, w.Lang, string(w.Action), w.Rule).Scan(&w.ID)
	if err != nil {
		return fmt.Errorf("store: save banned word: %w", err)
	}
	return nil
}

// DeleteBannedWord removes a word from the lists.
func (db *DB) DeleteBannedWord(ctx context.Context, id int64) error {
	res, err := db.exec(ctx, `DELETE FROM banned_words WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete banned word: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return comment.ErrNoBannedWord
	}
	return nil
}
