package article

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// listResolver knows one section (with a subsection) and one author.
type listResolver struct{}

func (listResolver) SectionIDs(path string) ([]int64, bool) {
	if path == "national" {
		return []int64{1, 2}, true
	}
	return nil, false
}

func (listResolver) AuthorID(_ context.Context, slug string) (int64, bool, error) {
	return 7, slug == "mina-park", nil
}

func TestListForm_readsEveryParameterAndRefusesMistakes(t *testing.T) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{"q": {" harbour "}, "status": {"draft"}, "section": {"/national/"}, "author": {"mina-park"},
		"from": {"2026-03-01"}, "to": {"2026-03-01"}, "sort": {"headline"}, "order": {"asc"}}
	q, err := ListFormOf(v).Query(context.Background(), listResolver{}, seoul, SortUpdated)
	if err != nil {
		t.Fatal(err)
	}
	if q.Text != "harbour" || q.Status != Draft || len(q.SectionIDs) != 2 || q.AuthorID != 7 || q.Sort != SortHeadline || !q.Ascending {
		t.Errorf("got %+v", q)
	}
	// Days are whole days in the site's zone: the last one included.
	if want := time.Date(2026, 3, 1, 0, 0, 0, 0, seoul); !q.ChangedFrom.Equal(want) || !q.ChangedTo.Equal(want.AddDate(0, 0, 1)) {
		t.Errorf("days: %v to %v", q.ChangedFrom, q.ChangedTo)
	}
	if q, _ := ListFormOf(url.Values{}).Query(context.Background(), listResolver{}, seoul, SortUpdated); q.Sort != SortUpdated || q.Ascending {
		t.Errorf("no sort asked: %q asc=%v, want the door's default, descending", q.Sort, q.Ascending)
	}
	for _, c := range []struct {
		param, value, field string
		err                 error
	}{
		{"q", strings.Repeat("가", MaxTextRunes+1), "q", ErrTextTooLong},
		{"status", "lost", "status", ErrBadStatus},
		{"section", "nowhere", "section", ErrBadSection},
		{"author", "nobody", "author", ErrBadAuthor},
		{"from", "2026-02-30", "from", ErrBadDate},
		{"to", "1899-12-31", "to", ErrBadDate},
		{"sort", "author", "sort", ErrBadSort},
		{"order", "up", "order", ErrBadOrder},
	} {
		_, err := ListFormOf(url.Values{c.param: {c.value}}).Query(context.Background(), listResolver{}, seoul, "")
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Field != c.field || !errors.Is(err, c.err) {
			t.Errorf("%s=%.20q: got %v, want %s: %v", c.param, c.value, err, c.field, c.err)
		}
	}
	// A query with the text exactly at the limit is a search.
	if _, err := ListFormOf(url.Values{"q": {strings.Repeat("가", MaxTextRunes)}}).Query(context.Background(), listResolver{}, seoul, ""); err != nil {
		t.Errorf("q of %d characters: %v", MaxTextRunes, err)
	}
}

// The service checks a query whichever door built it.
func TestListQuery_checkIsTheServicesRule(t *testing.T) {
	for _, c := range []struct {
		name  string
		q     ListQuery
		field string
	}{
		{"too deep", ListQuery{Sort: SortUpdated, Offset: MaxListOffset + 1}, "page"},
		{"negative offset", ListQuery{Offset: -1}, "page"},
		{"unknown sort", ListQuery{Sort: "author"}, "sort"},
		{"dates the wrong way", ListQuery{ChangedFrom: time.Unix(100, 0), ChangedTo: time.Unix(50, 0)}, "to"},
		{"cursor with a sort", ListQuery{Sort: SortHeadline, After: Cursor{ID: 3, PublishedAt: time.Unix(9, 0)}}, "after"},
		{"text too long", ListQuery{Text: strings.Repeat("a", MaxTextRunes+1)}, "q"},
	} {
		var qe *QueryError
		if err := c.q.check(); !errors.As(err, &qe) || qe.Field != c.field {
			t.Errorf("%s: got %v, want a QueryError on %s", c.name, err, c.field)
		}
	}
	if err := (ListQuery{Sort: SortUpdated, Offset: MaxListOffset}).check(); err != nil {
		t.Errorf("the deepest page allowed: %v", err)
	}
}
