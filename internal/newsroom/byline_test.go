package newsroom

import (
	"net/mail"
	"testing"
)

// Every name an author may have comes back from the editor's field as it
// was written there.
func TestBylineName_readsBackThroughTheForm(t *testing.T) {
	for _, name := range []string{"Mina Park", "Lee, Jr.", `Kim "The Desk" Ji-ho`, `Back\slash (Seoul)`, "박민아", "J. R. Cho"} {
		addr, err := mail.ParseAddress(bylineName(name) + " <desk@paper.example>")
		if err != nil {
			t.Errorf("%q: %v", name, err)
			continue
		}
		if addr.Name != name {
			t.Errorf("%q came back as %q", name, addr.Name)
		}
	}
}
