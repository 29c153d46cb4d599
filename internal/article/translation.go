package article

import (
	"context"
	"errors"
	"fmt"

	"broadsheet/internal/account"
	"broadsheet/internal/cache"
)

// The languages an article can be written in.
const (
	English = "en"
	Korean  = "ko"
)

// LanguageOf is a's language, English for an article stored before
// articles had one.
func LanguageOf(a Article) string {
	if a.Language == "" {
		return English
	}
	return a.Language
}

// Translation is what an editor sets about an article's language: the
// language itself and the article that is its version in the other one.
type Translation struct {
	Language      string
	CounterpartID int64 // 0: no counterpart
}

// SetTranslation sets article id's language and pairs it with its
// counterpart in the other language, or unpairs it when t.CounterpartID
// is 0. The pair is symmetric: linking A to B links B to A, and unlinking
// either side unlinks both. It is the one place these rules live, for the
// newsroom's form and the API alike: actor must be allowed to edit both
// articles; the two must be in different languages; an article already
// paired with a third one is refused rather than taken from it.
func (s *Service) SetTranslation(ctx context.Context, actor account.Staff, id int64, t Translation) (Article, error) {
	if t.Language != English && t.Language != Korean {
		return Article{}, ValidationError{"language": `must be "en" or "ko"`}
	}
	a, err := s.load(ctx, actor, id, ActEdit)
	if err != nil {
		return Article{}, err
	}
	var other Article
	if t.CounterpartID != 0 {
		if t.CounterpartID == id {
			return Article{}, ValidationError{"counterpart_id": "an article cannot be its own counterpart"}
		}
		other, err = s.load(ctx, actor, t.CounterpartID, ActEdit)
		if errors.Is(err, ErrNotFound) {
			return Article{}, ValidationError{"counterpart_id": fmt.Sprintf("no article has the id %d", t.CounterpartID)}
		}
		if err != nil {
			return Article{}, err
		}
		if LanguageOf(other) == t.Language {
			return Article{}, ValidationError{"counterpart_id": fmt.Sprintf("article %d is in the same language; its counterpart must be in the other", other.ID)}
		}
		if a.CounterpartID != 0 && a.CounterpartID != other.ID {
			return Article{}, ValidationError{"counterpart_id": fmt.Sprintf("this article is already paired with article %d; unlink that pair first", a.CounterpartID)}
		}
		if other.CounterpartID != 0 && other.CounterpartID != id {
			return Article{}, ValidationError{"counterpart_id": fmt.Sprintf("article %d is already paired with article %d; unlink that pair first", other.ID, other.CounterpartID)}
		}
	} else if a.CounterpartID != 0 && LanguageOf(a) != t.Language {
		// Changing the language alone must not leave a pair in one language.
		cur, err := s.store.Article(ctx, a.CounterpartID)
		if err == nil && LanguageOf(cur) == t.Language {
			return Article{}, ValidationError{"language": fmt.Sprintf("the counterpart, article %d, is in this language; unlink it first", cur.ID)}
		}
	}
	if t.Language == LanguageOf(a) && t.CounterpartID == a.CounterpartID {
		return a, nil // nothing changes
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetTranslation(ctx, id, t.Language, t.CounterpartID, LanguageOf(other)); err != nil {
			return err
		}
		return s.audit.Write(ctx, actor, "article.translation", "article", a.ID, a.Headline,
			map[string]any{"language": LanguageOf(a), "counterpart_id": a.CounterpartID},
			map[string]any{"language": t.Language, "counterpart_id": t.CounterpartID})
	})
	if err != nil {
		return Article{}, err
	}
	// Each page names its counterpart, so every article that was or is
	// now in the pair is drawn again.
	keys := []string{cache.ArticleKey(id)}
	for _, other := range []int64{a.CounterpartID, t.CounterpartID} {
		if other != 0 {
			keys = append(keys, cache.ArticleKey(other))
		}
	}
	s.cache.Invalidate(keys...)
	a.Language, a.CounterpartID = t.Language, t.CounterpartID
	return a, nil
}
