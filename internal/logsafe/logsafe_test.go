package logsafe

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A reset token as the site makes them, and an API token.
const (
	resetToken = "q3Vx0kP_7bZ2yH-Lm9TfWc4nRs8eJd1aGu6oIiYtBvE"
	apiToken   = "bst_Zx8Kq2Lm4Np6Rt0Vw3Yb5Cd7Fg9Hj1Ks3Mn5Pq7Rs9T"
)

func TestString_hidesSecretsAndKeepsTheRest(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/newsroom/reset/" + resetToken, "/newsroom/reset/REDACTED"},
		{"/newsroom/reset/short", "/newsroom/reset/REDACTED"},
		{"/newsroom/reset/a%20b/c", "/newsroom/reset/REDACTED/c"},
		{"/newsroom/reset/" + resetToken + "?x=1", "/newsroom/reset/REDACTED?x=1"},
		{"code=4f1c2d&state=abc", "code=REDACTED&state=REDACTED"},
		{"/auth/github/callback?code=4f1c2d9e0a1b2c3d4e5f&state=s1", "/auth/github/callback?code=REDACTED&state=REDACTED"},
		{"error=access_denied&state=s1", "error=access_denied&state=REDACTED"},
		{"token=a&access_token=b&ID_Token=c&refresh_token=d&password=e&client_secret=f&api_key=g&key=h&x-api-key=i",
			"token=REDACTED&access_token=REDACTED&ID_Token=REDACTED&refresh_token=REDACTED&password=REDACTED&client_secret=REDACTED&api_key=REDACTED&key=REDACTED&x-api-key=REDACTED"},
		{`Get "https://id.example/me?access_token=ya29.a0Af": dial tcp: i/o timeout`, `Get "https://id.example/me?access_token=REDACTED": dial tcp: i/o timeout`},
		{"Bearer " + apiToken, "Bearer REDACTED"},
		{"next=/newsroom/reset/" + resetToken, "next=/newsroom/reset/REDACTED"},
		{"next=%2Fnewsroom%2Freset%2Fshort%3Fa%3Db&x=1", "next=%2Fnewsroom%2Freset%2FREDACTED%3Fa%3Db&x=1"},
		{"https://paper.example/newsroom/reset/" + resetToken, "https://paper.example/newsroom/reset/REDACTED"},
		{"sum=" + strings.Repeat("0123456789abcdef", 4), "sum=REDACTED"},
		// What is not secret stays readable.
		{"/article/12/a-very-long-headline-about-the-2024-budget-vote", ""},
		{"/static/0123456789ab/site.css", ""},
		{"/media/0123456789abcdef01234567-800.webp", ""},
		{"q=climate+change&section=world&author=kim&before=120&page=2", ""},
		{"/newsroom/articles/42/revisions/3", ""},
		{"/auth/github/login?next=%2Farticle%2F1%2Fslug", ""},
		{"", ""},
	} {
		want := c.want
		if want == "" {
			want = c.in
		}
		if got := String(c.in); got != want {
			t.Errorf("String(%q)\n got %q\nwant %q", c.in, got, want)
		}
	}
}

func TestString_allocatesNothingWhenThereIsNothingToHide(t *testing.T) {
	for _, s := range []string{"/", "/article/12/a-long-slug-of-words", "/search?q=budget&section=world"} {
		if n := testing.AllocsPerRun(100, func() { _ = String(s) }); n != 0 {
			t.Errorf("String(%q): %v allocations, want 0", s, n)
		}
	}
}

func TestSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"code": true, "State": true, "access_token": true, "id_token": true, "Authorization": true, "Cookie": true,
		"Set-Cookie": true, "X-Api-Key": true, "password": true, "new_password": true, "client_secret": true,
		"auth_code": true, "csrf": true,
		"q": false, "author": false, "section": false, "path": false, "status": false, "next": false,
		"Referer": false, "error": false, "request_id": false,
	} {
		if got := SecretName(name); got != want {
			t.Errorf("SecretName(%q) = %v, want %v", name, got, want)
		}
	}
}

// Every attribute a logger is given goes through String, whatever its
// kind, and credentials are never written.
func TestNewHandler_hidesSecretsInEveryAttribute(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil)))
	u, _ := url.Parse("https://paper.example/auth/x/callback?code=c0de5ecret&state=5tate5ecret")
	log.With("referer", "https://paper.example/newsroom/reset/"+resetToken).WithGroup("req").Info("failed /newsroom/reset/"+resetToken,
		"path", "/newsroom/reset/"+resetToken,
		"url", u,
		"err", errors.New(`Post "https://id.example/token?client_secret=s3cr3tvalue": EOF`),
		"headers", http.Header{"Authorization": {"Bearer " + apiToken}, "Cookie": {"bs_staff=abc"}, "Accept": {"text/html"}},
		"authorization", "Basic dXNlcjpwYXNz",
		slog.Group("form", "password", "hunter2hunter2", "email", "kim@paper.example"),
		"status", 500,
	)
	out := buf.String()
	for _, secret := range []string{resetToken, "c0de5ecret", "5tate5ecret", "s3cr3tvalue", apiToken, "bs_staff=abc", "dXNlcjpwYXNz", "hunter2"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log has %q:\n%s", secret, out)
		}
	}
	for _, kept := range []string{"/newsroom/reset/REDACTED", "https://paper.example/auth/x/callback", "text/html", "kim@paper.example", `"status":500`, "EOF"} {
		if !strings.Contains(out, kept) {
			t.Errorf("the log lost %q:\n%s", kept, out)
		}
	}
}

func TestNewHandler_passesCleanLinesUnchanged(t *testing.T) {
	var plain, safe bytes.Buffer
	args := []any{"path", "/article/1/slug", "status", 200, "err", errors.New("no such article")}
	slog.New(slog.NewJSONHandler(&plain, nil)).Info("request", args...)
	slog.New(NewHandler(slog.NewJSONHandler(&safe, nil))).Info("request", args...)
	strip := func(s string) string { return s[strings.Index(s, `"level"`):] } // the times differ
	if strip(plain.String()) != strip(safe.String()) {
		t.Errorf("a clean line changed:\n%s\n%s", plain.String(), safe.String())
	}
}

func BenchmarkString(b *testing.B) {
	for _, s := range []string{"/article/1234/the-budget-vote-passes-after-a-long-night", "/newsroom/reset/" + resetToken,
		"/auth/github/callback?code=4f1c2d9e0a1b2c3d4e5f&state=" + resetToken} {
		b.Run(s[:12], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = String(s)
			}
		})
	}
}

// FuzzString: any text, however odd, is redacted without a panic, and a
// value given to a secret's parameter never survives.
func FuzzString(f *testing.F) {
	for _, s := range []string{"/newsroom/reset/x", "code=a&state=b", "%2Fnewsroom%2Freset%2F", "a=b=c", "===", "token="} {
		f.Add(s, "s3cretValue")
	}
	f.Fuzz(func(t *testing.T, s, value string) {
		_ = String(s)
		if value == "" || strings.IndexFunc(value, endsValue) >= 0 || strings.Contains(Redacted, value) {
			return
		}
		const param = "&access_token="
		if got := String(s + param + value); strings.Contains(got[strings.LastIndex(got, param)+len(param):], value) {
			t.Errorf("String(%q) = %q keeps the token", s+param+value, got)
		}
	})
}
