package social

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/oauth2-proxy/mockoidc"
)

// mockOP is a real OpenID Connect provider (mockoidc) on 127.0.0.1 that
// counts the requests each endpoint gets.
type mockOP struct {
	*mockoidc.MockOIDC

	mu   sync.Mutex
	hits map[string]int
	// alias, when set, is a client id the provider treats as its own
	// when authorizing and exchanging codes, while its ID tokens still
	// name its real client id as the audience: tokens for another client.
	alias string
}

func startMockOIDC(t *testing.T) *mockOP {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatalf("mockoidc: %v", err)
	}
	op := &mockOP{MockOIDC: m, hits: map[string]int{}}
	err = m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			op.mu.Lock()
			op.hits[r.URL.Path]++
			alias := op.alias
			op.mu.Unlock()
			if alias != "" {
				op.unalias(r, alias)
			}
			next.ServeHTTP(w, r)
		})
	})
	if err != nil {
		t.Fatalf("mockoidc middleware: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatalf("mockoidc start: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Shutdown(); err != nil {
			t.Errorf("mockoidc shutdown: %v", err)
		}
	})
	return op
}

// unalias replaces the alias client id in r's query and form body.
func (op *mockOP) unalias(r *http.Request, alias string) {
	q := r.URL.Query()
	if q.Get("client_id") == alias {
		q.Set("client_id", op.ClientID)
		r.URL.RawQuery = q.Encode()
	}
	if r.Method != http.MethodPost {
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		panic(err)
	}
	form, err := url.ParseQuery(string(body))
	if err == nil && form.Get("client_id") == alias {
		form.Set("client_id", op.ClientID)
		body = []byte(form.Encode())
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
}

func (op *mockOP) setAlias(clientID string) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.alias = clientID
}

func (op *mockOP) count(path string) int {
	op.mu.Lock()
	defer op.mu.Unlock()
	return op.hits[path]
}

func (op *mockOP) config(provider string) ProviderConfig {
	return ProviderConfig{
		Provider:     provider,
		ClientID:     op.ClientID,
		ClientSecret: op.ClientSecret,
		Issuer:       op.Issuer(),
	}
}
