// Package comment holds reader comments and the rules that keep them
// within the Standards Board Policy: the length limit counted in
// user-perceived characters, screening for banned words, links and
// repeats, the anti-manipulation limits, moderation modes and the
// moderators' decisions.
//
// Every refusal is a *Refusal that says, in words a reader understands,
// what was wrong, which limit or policy rule applied and when to try
// again; the API and the pages turn it into a 4xx answer. Every decision
// that hides or removes a comment or bans a reader names the policy rule
// it applies, so the commenter sees its number and text.
package comment
