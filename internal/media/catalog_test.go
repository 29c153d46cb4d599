package media

import (
	"errors"
	"strings"
	"testing"

	"broadsheet/internal/account"
)

func TestMayChange(t *testing.T) {
	own := Image{CreatedBy: 7}
	for _, c := range []struct {
		who  account.Staff
		im   Image
		want bool
	}{
		{account.Staff{ID: 7, Role: account.Reporter}, own, true},
		{account.Staff{ID: 8, Role: account.Reporter}, own, false},
		{account.Staff{ID: 0, Role: account.Reporter}, Image{}, false}, // an image whose uploader is gone
		{account.Staff{ID: 8, Role: account.Editor}, own, true},
		{account.Staff{ID: 8, Role: account.Admin}, own, true},
		{account.Staff{ID: 7, Role: account.Moderator}, own, false},
	} {
		if got := MayChange(c.who, c.im); got != c.want {
			t.Errorf("%s %d on an image by %d: got %v", c.who.Role, c.who.ID, c.im.CreatedBy, got)
		}
	}
	if MayUpload(account.Staff{Role: account.Moderator}) || !MayUpload(account.Staff{Role: account.Reporter}) {
		t.Error("only writers may upload")
	}
}

func TestCheckDetails(t *testing.T) {
	d, err := CheckDetails(Details{Alt: "  A gull  ", Caption: " On the pier ", Credit: "Staff "}, true)
	if err != nil || d != (Details{Alt: "A gull", Caption: "On the pier", Credit: "Staff"}) {
		t.Errorf("trimmed: %+v, %v", d, err)
	}
	for _, c := range []struct {
		d       Details
		needAlt bool
		field   string
		problem string
	}{
		{Details{Alt: " "}, true, "alt", ProblemMissing},
		{Details{Alt: strings.Repeat("가", MaxAlt+1)}, false, "alt", ProblemTooLong},
		{Details{Caption: strings.Repeat("a", MaxCaption+1)}, false, "caption", ProblemTooLong},
		{Details{Credit: strings.Repeat("a", MaxCredit+1)}, false, "credit", ProblemTooLong},
		{Details{Caption: "one\ntwo"}, false, "caption", ProblemNotText},
		{Details{Credit: "\xff"}, false, "credit", ProblemNotText},
	} {
		_, err := CheckDetails(c.d, c.needAlt)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || fe.Problem != c.problem {
			t.Errorf("%+v: got %v, want %s %s", c.d, err, c.field, c.problem)
		}
	}
	if _, err := CheckDetails(Details{Alt: strings.Repeat("가", MaxAlt)}, true); err != nil {
		t.Errorf("alt text at the limit: %v", err)
	}
}

func TestFigureMarkdown(t *testing.T) {
	for _, c := range []struct {
		d    Details
		want string
	}{
		{Details{Alt: "A gull", Caption: "On the pier", Credit: "Mina Park"}, `![A gull](/media/u/ab/640.jpg "On the pier | Mina Park")`},
		{Details{Alt: "A gull", Caption: "On the pier"}, `![A gull](/media/u/ab/640.jpg "On the pier")`},
		{Details{Alt: "A gull", Credit: "Mina Park"}, `![A gull](/media/u/ab/640.jpg " | Mina Park")`},
		{Details{Alt: "A gull"}, `![A gull](/media/u/ab/640.jpg)`},
		{Details{Alt: `The [old] \ pier`, Caption: `The "Pier" \ 1`, Credit: "A\nB"},
			`![The \[old\] \\ pier](/media/u/ab/640.jpg "The \"Pier\" \\ 1 | A B")`},
	} {
		if got := FigureMarkdown("/media/u/ab/640.jpg", c.d); got != c.want {
			t.Errorf("%+v:\n got %s\nwant %s", c.d, got, c.want)
		}
	}
}
