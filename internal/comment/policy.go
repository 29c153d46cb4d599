package comment

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// PolicySlug is the static page that holds the Standards Board Policy.
const PolicySlug = "standards-board-policy"

// Rule is one numbered rule of the policy.
type Rule struct {
	Number int
	Text   string // the rule's first sentence or title, e.g. "Respect others."
}

// Policy is the Standards Board Policy as code: its numbered rules and a
// version that changes when the rules do, so readers are asked to accept
// it again only when something they agreed to has changed.
type Policy struct {
	Version string
	Rules   []Rule
}

// The rules the automatic checks apply, by their number in the policy.
const (
	RuleRespect   = 1 // default for banned words
	RuleSpam      = 5 // too many links
	RuleFlooding  = 9 // repeats and comment limits
	RuleReactions = 10
)

// Rule returns rule n, or a Rule with only its number when the policy
// has no such rule.
func (p Policy) Rule(n int) Rule {
	for _, r := range p.Rules {
		if r.Number == n {
			return r
		}
	}
	return Rule{Number: n}
}

// ParsePolicy reads the rules from the policy page's Markdown: the items
// of its first numbered list. A rule's text is its first sentence, which
// the demo policy sets in bold.
func ParsePolicy(markdown string) Policy {
	src := []byte(markdown)
	doc := goldmark.DefaultParser().Parse(text.NewReader(src))
	var p Policy
	h := sha256.New()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		list, ok := n.(*ast.List)
		if !entering || !ok || !list.IsOrdered() {
			return ast.WalkContinue, nil
		}
		num := list.Start
		for item := list.FirstChild(); item != nil; item = item.NextSibling() {
			t := strings.TrimSpace(nodeText(item, src))
			p.Rules = append(p.Rules, Rule{Number: num, Text: firstSentence(t)})
			h.Write([]byte(t))
			h.Write([]byte{0})
			num++
		}
		return ast.WalkStop, nil
	})
	if len(p.Rules) > 0 {
		p.Version = hex.EncodeToString(h.Sum(nil))[:16]
	}
	return p
}

func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}
