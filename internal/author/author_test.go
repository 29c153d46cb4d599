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
