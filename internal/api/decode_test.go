package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"broadsheet/internal/article"
)

// FuzzDecodeArticleRequest feeds arbitrary bodies through the API's JSON
// decoding and the article rules: every outcome is a valid article or a
// 4xx error, never a panic or a 500.
func FuzzDecodeArticleRequest(f *testing.F) {
	for _, s := range []string{
		`{"headline":"H","body":"B","section":"national/politics","authors":[{"name":"K","email":"k@paper.example"}]}`,
		`{"headline":`, `[]`, `null`, `{"published_at":"2026-13-45T99:00:00Z"}`, `{"authors":[{}]}`,
		`{"tags":[1,2]}`, `{"lead_image":{"url":"javascript:x"}}`, "{\"headline\":\"\xff\"}", `{} {}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/api/v1/articles", strings.NewReader(body))
		w := httptest.NewRecorder()
		var req articleRequest
		err := decode(w, r, &req)
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || ae.status < 400 || ae.status >= 500 || ae.message == "" {
				t.Fatalf("decode(%q) = %v, want a 4xx apiError with a message", body, err)
			}
			return
		}
		var in article.Input
		req.apply(&in)
		if err := in.Normalize(); err != nil {
			var ve article.ValidationError
			if !errors.As(err, &ve) || len(ve) == 0 {
				t.Fatalf("Normalize error %v is not a ValidationError", err)
			}
			return
		}
		if in.Headline == "" || len(in.Authors) == 0 {
			t.Fatalf("accepted an article without headline or authors: %+v", in)
		}
	})
}

func TestDecode_refusesOtherMediaTypes(t *testing.T) {
	r := httptest.NewRequest("POST", "/api/v1/articles", strings.NewReader(`headline=x`))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var req articleRequest
	err := decode(httptest.NewRecorder(), r, &req)
	var ae *apiError
	if !errors.As(err, &ae) || ae.status != http.StatusUnsupportedMediaType {
		t.Errorf("form body: got %v, want 415", err)
	}
}
