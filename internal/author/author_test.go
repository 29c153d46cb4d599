package author

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	a := Author{Name: "  Kim Min-ji ", Email: "Kim@Paper.Example", Title: " Reporter "}
	if f := a.Normalize(); len(f) != 0 || a.Name != "Kim Min-ji" || a.Email != "kim@paper.example" || a.Title != "Reporter" {
		t.Errorf("Normalize = %v, %+v", f, a)
	}
	for field, bad := range map[string]Author{
		"name":  {Name: " ", Email: "a@paper.example"},
		"email": {Name: "A", Email: "nope"},
		"bio":   {Name: "A", Email: "a@paper.example", Bio: strings.Repeat("가", 2001)},
	} {
		if f := bad.Normalize(); f[field] == "" {
			t.Errorf("%+v: fields %v lack %q", bad, f, field)
		}
	}
}

func TestNormalize_photoURL(t *testing.T) {
	for in, ok := range map[string]bool{
		"": true, " https://img.example/a.jpg ": true, "/media/kim.jpg": true, "http://img.example/a.jpg": false,
		"javascript:alert(1)": false, "relative.jpg": false, "//evil.example/a.jpg": false, "https://": false, `/a\b.jpg`: false,
		`https://img.example/"><script>`: false, "https://img.example/" + strings.Repeat("a", 500): false,
	} {
		a := Author{Name: "N", Email: "n@paper.example", PhotoURL: in}
		if _, bad := a.Normalize()["photo_url"]; bad == ok {
			t.Errorf("%q: refused %v", in, bad)
		}
	}
}
