package redirect

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeFrom(t *testing.T) {
	for in, want := range map[string]string{
		"/2019/03/budget-vote/":              "/2019/03/budget-vote",
		"/2019/03/%EC%98%88%EC%82%B0/":       "/2019/03/%ec%98%88%ec%82%b0",
		"/2019/03/예산":                        "/2019/03/%ec%98%88%ec%82%b0",
		"/a%2Db":                             "/a-b",
		"/?p=123":                            "/?p=123",
		"/?p=00123&utm_source=feed":          "/?p=123",
		"/?page_id=7":                        "/?page_id=7",
		"/archives/7?utm_source=x":           "/archives/7",
		"  /spaced/  ":                       "/spaced",
		"/with space":                        "/with%20space",
		"/2019/03/budget-vote/#comments":     "/2019/03/budget-vote",
		"/category/news/feed/":               "/category/news/feed",
		"/tag/c++":                           "/tag/c++",
		"/index.php/2019/03/budget-vote/":    "/index.php/2019/03/budget-vote",
		"/%d8%b3%d9%84%d8%a7%d9%85/":         "/%d8%b3%d9%84%d8%a7%d9%85",
		"/" + strings.Repeat("a", MaxPath-1): "/" + strings.Repeat("a", MaxPath-1),
	} {
		got, err := NormalizeFrom(in)
		if err != nil || got != want {
			t.Errorf("NormalizeFrom(%q): got %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestNormalizeFrom_refusesWhatIsNotALocalPath(t *testing.T) {
	for _, in := range []string{
		"", "relative/path", "https://old.example/x", "//old.example/x", "/\\evil", "/a\x00b", "/a\nb",
		"/", "/?s=search", "/?p=0", "/%zz", "/%2F%2Fevil.example", "/a/../b", "/./a",
		"/" + strings.Repeat("a", MaxPath), "/" + strings.Repeat("예", MaxPath/3),
		"/\xff",
	} {
		if got, err := NormalizeFrom(in); err == nil {
			t.Errorf("NormalizeFrom(%q): got %q, want an error", in, got)
		} else if e := (*Error)(nil); !errors.As(err, &e) || e.Field != "from" {
			t.Errorf("NormalizeFrom(%q): got %v, want an *Error on from", in, err)
		}
	}
}

func TestNormalize_targetMustBeLocal(t *testing.T) {
	for _, to := range []string{"https://evil.example/", "//evil.example/", "javascript:alert(1)", "evil", "/\\evil.example", ""} {
		r := Redirect{From: "/old", To: to}
		if err := r.Normalize(); err == nil {
			t.Errorf("to %q: accepted as %q", to, r.To)
		}
	}
	r := Redirect{From: "/old/", To: "/article/4/새-소식?x=1"}
	if err := r.Normalize(); err != nil || r.From != "/old" || r.To != "/article/4/%ec%83%88-%ec%86%8c%ec%8b%9d?x=1" {
		t.Errorf("got %+v, %v", r, err)
	}
	same := Redirect{From: "/page/about/", To: "/page/about"}
	if err := same.Normalize(); err == nil {
		t.Errorf("a redirect to itself was accepted")
	}
}

func TestLookupKey(t *testing.T) {
	for _, tc := range []struct {
		path, query, want string
		ok                bool
	}{
		{"/", "p=12", "/?p=12", true},
		{"/index.php", "page_id=3&preview=true", "/?page_id=3", true},
		{"/", "s=budget", "", false},
		{"/", "", "", false},
		{"/2019/03/x/", "utm_source=a", "/2019/03/x", true},
		{"/%EC%98%88", "", "/%ec%98%88", true},
		{"/blog/", "p=12", "/blog", true},
	} {
		got, ok := LookupKey(tc.path, tc.query)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("LookupKey(%q, %q): got %q, %v; want %q, %v", tc.path, tc.query, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzNormalizeFrom(f *testing.F) {
	for _, s := range []string{"/a/b/", "/?p=1", "/%EC%98%88", "//x", "/a/../b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeFrom(s)
		if err != nil {
			return
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || len(got) > MaxPath || strings.ContainsAny(got, "\\\x00\n#") {
			t.Fatalf("NormalizeFrom(%q) = %q", s, got)
		}
		if again, err := NormalizeFrom(got); err != nil || again != got {
			t.Fatalf("not stable: %q → %q → %q (%v)", s, got, again, err)
		}
	})
}
