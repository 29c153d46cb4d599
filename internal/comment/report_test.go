package comment

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckReport(t *testing.T) {
	pol := ParsePolicy("Intro.\n\n1. **Respect others.** More.\n2. **No spam.**\n3. **Stay on topic.**\n")
	tests := []struct {
		in   ReportInput
		code string // "" accepted
	}{
		{ReportInput{Rule: 2}, ""},
		{ReportInput{Rule: 3, Note: "  off topic  "}, ""},
		{ReportInput{Note: "an API client's reason"}, ""},
		{ReportInput{}, "no_rule"},
		{ReportInput{Note: "   "}, "no_rule"},
		{ReportInput{Rule: 4}, "bad_rule"},
		{ReportInput{Rule: -1}, "bad_rule"},
		{ReportInput{Rule: 1, Note: strings.Repeat("가", MaxReportReason+1)}, "bad_reason"},
		{ReportInput{Rule: 1, Note: "bell\a"}, "bad_reason"},
		{ReportInput{Rule: 1, Note: "\xff"}, "bad_reason"},
	}
	for _, tt := range tests {
		in := tt.in
		err := checkReport(pol, &in)
		var rf *Refusal
		switch {
		case tt.code == "" && err != nil:
			t.Errorf("%+v refused: %v", tt.in, err)
		case tt.code != "" && (!errors.As(err, &rf) || rf.Code != tt.code || rf.Kind != KindInvalid || rf.Message == ""):
			t.Errorf("%+v: %v, want the refusal %s", tt.in, err, tt.code)
		}
		if err == nil && in.Note != strings.TrimSpace(tt.in.Note) {
			t.Errorf("note %q kept untrimmed", in.Note)
		}
	}
}

func TestReportLine(t *testing.T) {
	for _, tt := range []struct {
		rule int
		note string
		want string
	}{{3, "Off topic", "Rule 3: Off topic"}, {5, "", "Rule 5"}, {0, "free text", "free text"}} {
		if got := ReportLine(tt.rule, tt.note); got != tt.want {
			t.Errorf("ReportLine(%d, %q) = %q, want %q", tt.rule, tt.note, got, tt.want)
		}
	}
}
