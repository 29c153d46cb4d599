package section

import (
	"strings"
	"testing"
)

func TestValidate_koreanName(t *testing.T) {
	for _, tt := range []struct {
		name, nameKo string
		wantErr      bool
		wantKo       string
	}{
		{"none", "", false, ""},
		{"trimmed", "  정치 ", false, "정치"},
		{"80 characters", strings.Repeat("가", 80), false, strings.Repeat("가", 80)},
		{"81 characters", strings.Repeat("가", 81), true, ""},
		{"two lines", "정치\n경제", true, ""},
		{"a carriage return", "정치\r", false, "정치"}, // trimmed away first
	} {
		s := Section{Slug: "politics", Name: "Politics", NameKo: tt.nameKo}
		fields := s.Validate()
		if got := fields["name_ko"] != ""; got != tt.wantErr {
			t.Errorf("%s: name_ko refused = %v, want %v (%v)", tt.name, got, tt.wantErr, fields)
		}
		if !tt.wantErr && s.NameKo != tt.wantKo {
			t.Errorf("%s: NameKo = %q, want %q", tt.name, s.NameKo, tt.wantKo)
		}
	}
}

func TestNameIn(t *testing.T) {
	named := Section{Name: "Politics", NameKo: "정치"}
	unnamed := Section{Name: "Culture"}
	for _, tt := range []struct {
		s    Section
		lang string
		want string
	}{
		{named, "ko", "정치"},
		{named, "en", "Politics"},
		{named, "fr", "Politics"},
		{unnamed, "ko", "Culture"},
	} {
		if got := tt.s.NameIn(tt.lang); got != tt.want {
			t.Errorf("%q NameIn(%s) = %q, want %q", tt.s.Name, tt.lang, got, tt.want)
		}
	}
}

// Tree.In names every section in the language and leaves the tree it
// was made from as it was: the memo serves both languages at once.
func TestTreeIn(t *testing.T) {
	tree := NewTree([]Section{
		{ID: 1, Slug: "national", Path: "national", Name: "National", NameKo: "국내"},
		{ID: 2, ParentID: 1, Slug: "politics", Path: "national/politics", Name: "Politics", NameKo: "정치"},
		{ID: 3, Slug: "culture", Path: "culture", Name: "Culture"},
	})
	ko := tree.In("ko")
	var names []string
	for _, s := range ko.Chain(2) {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, " > "); got != "국내 > 정치" {
		t.Errorf("Korean chain: %q, want %q", got, "국내 > 정치")
	}
	if s, ok := ko.ByPath("culture"); !ok || s.Name != "Culture" {
		t.Errorf("Korean tree, section without a Korean name: %+v", s)
	}
	if s, _ := tree.ByID(1); s.Name != "National" {
		t.Errorf("the tree In was made from now names section 1 %q", s.Name)
	}
	if top := ko.Top(); len(top) != 2 || top[0].Name != "국내" {
		t.Errorf("Korean top: %+v", top)
	}
}
