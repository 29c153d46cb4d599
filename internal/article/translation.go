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
	a, err := s.load(ctx, actor, id, ActEdit)
	if err != nil {
		return Article{}, err
	}
	p, err := s.checkTranslation(ctx, actor, a, t)
	if err != nil {
		return Article{}, err
	}
	if p == nil {
		return a, nil // nothing changes
	}
	if err := s.store.InTx(ctx, func(ctx context.Context) error { return s.writeTranslation(ctx, actor, a, p) }); err != nil {
		return Article{}, err
	}
	s.invalidateTranslation(a.ID, p)
	a.Language, a.CounterpartID = t.Language, t.CounterpartID
	return a, nil
}

// pairing is a checked change of an article's language and counterpart:
// was is what the article had, other the counterpart it will have (zero
// for none).
type pairing struct {
	t     Translation
	was   Translation
	other Article
}

// checkTranslation holds SetTranslation's rules for a change of a, the
// article as stored (or, for one being created, as it will be: ID 0). A
// nil pairing means t changes nothing.
func (s *Service) checkTranslation(ctx context.Context, actor account.Staff, a Article, t Translation) (*pairing, error) {
	if t.Language != English && t.Language != Korean {
		return nil, ValidationError{"language": `must be "en" or "ko"`}
	}
	var other Article
	var err error
	if t.CounterpartID != 0 {
		if t.CounterpartID == a.ID {
			return nil, ValidationError{"counterpart_id": "an article cannot be its own counterpart"}
		}
		other, err = s.load(ctx, actor, t.CounterpartID, ActEdit)
		if errors.Is(err, ErrNotFound) {
			return nil, ValidationError{"counterpart_id": fmt.Sprintf("no article has the id %d", t.CounterpartID)}
		}
		if err != nil {
			return nil, err
		}
		if LanguageOf(other) == t.Language {
			return nil, ValidationError{"counterpart_id": fmt.Sprintf("article %d is in the same language; its counterpart must be in the other", other.ID)}
		}
		if a.CounterpartID != 0 && a.CounterpartID != other.ID {
			return nil, ValidationError{"counterpart_id": fmt.Sprintf("this article is already paired with article %d; unlink that pair first", a.CounterpartID)}
		}
		if other.CounterpartID != 0 && (a.ID == 0 || other.CounterpartID != a.ID) {
			return nil, ValidationError{"counterpart_id": fmt.Sprintf("article %d is already paired with article %d; unlink that pair first", other.ID, other.CounterpartID)}
		}
	} else if a.CounterpartID != 0 && LanguageOf(a) != t.Language {
		// Changing the language alone must not leave a pair in one language.
		cur, err := s.store.Article(ctx, a.CounterpartID)
		if err == nil && LanguageOf(cur) == t.Language {
			return nil, ValidationError{"language": fmt.Sprintf("the counterpart, article %d, is in this language; unlink it first", cur.ID)}
		}
	}
	if a.ID != 0 && t.Language == LanguageOf(a) && t.CounterpartID == a.CounterpartID {
		return nil, nil
	}
	return &pairing{t: t, was: Translation{Language: LanguageOf(a), CounterpartID: a.CounterpartID}, other: other}, nil
}

// writeTranslation stores p for a, which by now has its id, with its
// audit entry; ctx carries the transaction.
func (s *Service) writeTranslation(ctx context.Context, actor account.Staff, a Article, p *pairing) error {
	if err := s.store.SetTranslation(ctx, a.ID, p.t.Language, p.t.CounterpartID, LanguageOf(p.other)); err != nil {
		return err
	}
	return s.audit.Write(ctx, actor, "article.translation", "article", a.ID, a.Headline,
		map[string]any{"language": p.was.Language, "counterpart_id": p.was.CounterpartID},
		map[string]any{"language": p.t.Language, "counterpart_id": p.t.CounterpartID})
}

// invalidateTranslation draws again every article that was or is now in
// the pair: each page names its counterpart.
func (s *Service) invalidateTranslation(id int64, p *pairing) {
	keys := []string{cache.ArticleKey(id)}
	for _, other := range []int64{p.was.CounterpartID, p.t.CounterpartID} {
		if other != 0 {
			keys = append(keys, cache.ArticleKey(other))
		}
	}
	s.cache.Invalidate(keys...)
}
