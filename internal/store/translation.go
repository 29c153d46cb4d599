package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"broadsheet/internal/article"
)

// articleTranslation loads a's language and counterpart; an article
// without a row has neither ("" reads as English: article.LanguageOf).
func (db *DB) articleTranslation(ctx context.Context, a *article.Article) error {
	var counterpart sql.NullInt64
	err := db.queryRow(ctx, `SELECT language, counterpart_id FROM article_translations WHERE article_id = ?`, a.ID).
		Scan(&a.Language, &counterpart)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		a.Language, a.CounterpartID = "", 0
		return nil
	case err != nil:
		return fmt.Errorf("store: article %d language: %w", a.ID, err)
	}
	a.CounterpartID = counterpart.Int64
	return nil
}

// SetTranslation stores article id's language and pairs it with
// counterpart both ways in one transaction, first undoing the pairs
// either article was in; counterpart 0 only unpairs id (and its former
// counterpart). The rules about who may pair what are the article
// service's.
func (db *DB) SetTranslation(ctx context.Context, id int64, lang string, counterpart int64, counterpartLang string) error {
	const upsert = `INSERT INTO article_translations (article_id, language, counterpart_id) VALUES (?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET language = excluded.language, counterpart_id = excluded.counterpart_id`
	return db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.exec(ctx, `UPDATE article_translations SET counterpart_id = NULL
			WHERE counterpart_id IN (?, ?) OR article_id IN (?, ?)`, id, counterpart, id, counterpart); err != nil {
			return fmt.Errorf("store: unpair article %d: %w", id, err)
		}
		if counterpart == 0 {
			_, err := db.exec(ctx, upsert, id, lang, nil)
			if err != nil {
				return fmt.Errorf("store: article %d language: %w", id, err)
			}
			return nil
		}
		if _, err := db.exec(ctx, upsert, id, lang, counterpart); err != nil {
			return fmt.Errorf("store: pair article %d: %w", id, err)
		}
		if _, err := db.exec(ctx, upsert, counterpart, counterpartLang, id); err != nil {
			return fmt.Errorf("store: pair article %d: %w", counterpart, err)
		}
		return nil
	})
}
