package newsroom

import (
	"net/http"
	"strconv"
	"strings"

	"broadsheet/internal/article"
)

// formTranslation reads the editor's language and counterpart fields;
// changed is false when the form has neither (an older form) or they
// say what a already has. A counterpart that is not a number is a field
// error.
func formTranslation(r *http.Request, a article.Article) (t article.Translation, changed bool, errs map[string]string) {
	f := r.PostForm
	t = article.Translation{Language: article.LanguageOf(a), CounterpartID: a.CounterpartID}
	if !f.Has("language") && !f.Has("counterpart_id") {
		return t, false, nil
	}
	if f.Has("language") {
		t.Language = f.Get("language")
	}
	if f.Has("counterpart_id") {
		s := strings.TrimPrefix(strings.TrimSpace(f.Get("counterpart_id")), "#")
		t.CounterpartID = 0
		if s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id < 0 {
				return t, false, map[string]string{"counterpart_id": "must be an article's number, or empty for none"}
			}
			t.CounterpartID = id
		}
	}
	return t, t.Language != article.LanguageOf(a) || t.CounterpartID != a.CounterpartID, nil
}
