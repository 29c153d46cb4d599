package comment

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"broadsheet/internal/cache"
	"broadsheet/internal/page"
	"broadsheet/internal/reader"
	"broadsheet/internal/site"
)

// Target is an article as comments see it.
type Target struct {
	ArticleID    int64
	Published    bool
	PublishedAt  time.Time
	ArticleMode  Mode
	SectionModes []Mode // the article's section first, then its ancestors
}

// ErrNoArticle is a comment request for an article that is not published.
var ErrNoArticle = notFound("article")

// Store is what the service keeps comments in.
type Store interface {
	Settings(ctx context.Context) (map[string]string, error)
	SetSetting(ctx context.Context, key, value string) error
	PageBySlug(ctx context.Context, slug string) (page.Page, error)
	CommentTarget(ctx context.Context, articleID int64) (Target, error)
	BannedWords(ctx context.Context) ([]BannedWord, error)
	InsertComment(ctx context.Context, c *Comment, ipHash, fingerprint string, q PostQuery, check func(PostStats) error) error
	Comment(ctx context.Context, id int64) (Comment, error)
	ListComments(ctx context.Context, q ListQuery) (Page, error)
	EditComment(ctx context.Context, c Comment, fingerprint string) error
	SetCommentStatus(ctx context.Context, id int64, to Status, e LogEntry) (Comment, error)
	LogModeration(ctx context.Context, e LogEntry) error
	React(ctx context.Context, readerID, commentID int64, value int, q ReactQuery, check func(ReactStats) error) (int, int, error)
	Report(ctx context.Context, readerID, commentID int64, rule int, note string, hideAt int) (bool, error)
	ModStore
}

// Service applies the comment rules on top of a Store. Settings, the
// banned words and the policy are read on every post, so they are kept
// for a short while; a change made through this service is seen at once,
// one made by another instance as soon as its invalidation arrives (see
// SetInvalidator), and within cacheFor in any case.
type Service struct {
	store Store
	now   func() time.Time
	inv   cache.Invalidator // tells every instance to Forget
	// events and tx report new comments to the webhooks; nil for none.
	events Events
	tx     Transactor

	mu      sync.Mutex
	rules   *rules
	expires time.Time
}

// RulesKey names the comment rules in an invalidation. No page carries
// it: it tells the instances sharing the database to read the rules again.
const RulesKey = "comment-rules"

type rules struct {
	settings Settings
	site     site.Settings
	words    []BannedWord
	policy   Policy
	salt     string
}

const cacheFor = 2 * time.Second

// NewService makes a comment service; now is the clock (nil: time.Now).
func NewService(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now, inv: cache.Nop{}}
}

// SetInvalidator makes Forget go through inv as RulesKey, so that every
// instance reads the rules again; inv calls Invalidate here in turn.
func (s *Service) SetInvalidator(inv cache.Invalidator) { s.inv = inv }

// Forget drops the kept settings, words and policy, after a change, on
// this instance and, through the invalidator, on the others.
func (s *Service) Forget() {
	s.drop()
	s.inv.Invalidate(RulesKey)
}

// Invalidate drops the kept rules when keys name them: the rules
// themselves, the site's settings, the policy's page or everything. It is
// how a change made on another instance arrives.
func (s *Service) Invalidate(keys ...string) {
	for _, k := range keys {
		switch k {
		case RulesKey, cache.KeySettings, cache.KeyAll, cache.PageKey(PolicySlug):
			s.drop()
			return
		}
	}
}

func (s *Service) drop() {
	s.mu.Lock()
	s.rules = nil
	s.mu.Unlock()
}

func (s *Service) load(ctx context.Context) (*rules, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rules != nil && s.now().Before(s.expires) {
		return s.rules, nil
	}
	m, err := s.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	words, err := s.store.BannedWords(ctx)
	if err != nil {
		return nil, err
	}
	var pol Policy
	if pg, err := s.store.PageBySlug(ctx, PolicySlug); err == nil {
		pol = ParsePolicy(pg.Body)
	} else if !errors.Is(err, page.ErrNotFound) {
		return nil, err
	}
	salt := m[keySalt]
	if salt == "" {
		salt = randomHex()
		if err := s.store.SetSetting(ctx, keySalt, salt); err != nil {
			return nil, err
		}
	}
	s.rules = &rules{settings: SettingsFromMap(m), site: site.FromMap(m), words: words, policy: pol, salt: salt}
	s.expires = s.now().Add(cacheFor)
	return s.rules, nil
}

// keySalt keeps the salt of hashed IP addresses: addresses are compared
// for the per-network limits but never stored in the clear.
const keySalt = "comments_ip_salt"

// Settings returns the comment settings in force.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	r, err := s.load(ctx)
	if err != nil {
		return Settings{}, err
	}
	return r.settings, nil
}

// Policy returns the Standards Board Policy in force.
func (s *Service) Policy(ctx context.Context) (Policy, error) {
	r, err := s.load(ctx)
	if err != nil {
		return Policy{}, err
	}
	return r.policy, nil
}

// PostInput is a new comment or reply.
type PostInput struct {
	ArticleID int64
	ParentID  int64
	Body      string
	IP        string
}

// Post checks and stores a reader's comment. A held comment is stored
// and returned with status Held; a refused one returns a *Refusal.
func (s *Service) Post(ctx context.Context, r reader.Reader, in PostInput) (Comment, error) {
	rl, err := s.load(ctx)
	if err != nil {
		return Comment{}, err
	}
	now := s.now()
	if err := s.mayWrite(rl, r, now); err != nil {
		return Comment{}, err
	}
	if wait := time.Duration(rl.settings.NewAccountWait)*time.Second - now.Sub(r.CreatedAt); wait > 0 {
		return Comment{}, &Refusal{Kind: KindLimited, Code: "new_account", RetryAfter: wait, Limit: rl.settings.NewAccountWait,
			Message: fmt.Sprintf("New accounts wait before their first comment; you can comment in %s.", seconds(wait))}
	}
	mode, err := s.open(ctx, rl, in.ArticleID, now)
	if err != nil {
		return Comment{}, err
	}
	body, err := NormalizeBody(in.Body, rl.settings.MaxLength)
	if err != nil {
		return Comment{}, err
	}
	c := Comment{ArticleID: in.ArticleID, ReaderID: r.ID, ReaderName: r.DisplayName, ReaderAvatar: r.AvatarURL,
		Body: body, Status: Visible, CreatedAt: now.UTC().Truncate(time.Millisecond)}
	if in.ParentID != 0 {
		// The article was found published above, so the parent, on the
		// same article, is on a published one too.
		parent, err := s.store.Comment(ctx, in.ParentID)
		if err != nil || parent.ArticleID != in.ArticleID || (parent.Status != Visible && parent.ParentID == 0) {
			return Comment{}, &Refusal{Kind: KindInvalid, Code: "no_parent", Message: "The comment you are replying to is not on this article any more."}
		}
		// Replies go one level deep: a reply to a reply joins its thread.
		c.ParentID = parent.ID
		if parent.ParentID != 0 {
			c.ParentID = parent.ParentID
		}
	}
	held := Decision{}
	switch d := Screen(body, rl.words, rl.settings.MaxLinks); d.Action {
	case Reject:
		rule := rl.policy.Rule(d.Rule)
		_ = s.store.LogModeration(ctx, LogEntry{At: now, Action: "auto_reject", ReaderID: r.ID, Rule: rule.Number, Reason: d.Reason})
		return Comment{}, &Refusal{Kind: KindInvalid, Code: "against_policy", Rule: rule, Message: d.Reason}
	case Hold:
		held = d
		c.Status, c.Rule = Held, d.Rule
	}
	if mode == PreMod {
		c.Status = Held
	}
	fp := Fingerprint(body)
	dupSince := now.Add(-time.Duration(rl.settings.DuplicateWindow) * time.Second)
	q := PostQuery{
		MaxToday: rl.settings.PerDay, MaxOnArticle: rl.settings.PerArticle, MaxIP: rl.settings.PerIPHour,
		CheckDuplicate: rl.settings.DuplicateWindow > 0,
		DayStart:       StartOfDay(now, rl.site.TimeZone),
		DuplicateSince: dupSince,
		IPSince:        now.Add(-time.Hour),
	}
	check := func(st PostStats) error { return rl.settings.CheckPost(st, rl.policy, now) }
	if err := s.insert(ctx, &c, s.hashIP(rl, in.IP), fp, q, check); err != nil {
		return Comment{}, err
	}
	if held.Action == Hold {
		_ = s.store.LogModeration(ctx, LogEntry{At: now, Action: "auto_hold", CommentID: c.ID, ReaderID: r.ID, Rule: held.Rule, Reason: held.Reason})
	}
	return c, nil
}

// mayWrite refuses banned readers and those who have not accepted the
// policy in force.
func (s *Service) mayWrite(rl *rules, r reader.Reader, now time.Time) error {
	if r.Banned(now) {
		msg := "Your account may not comment or react: it has been banned for good."
		if !r.BannedUntil.Equal(reader.Forever) {
			msg = fmt.Sprintf("Your account may not comment or react until %s.", r.BannedUntil.In(rl.site.TimeZone).Format("2 January 2006 15:04 MST"))
		}
		return &Refusal{Kind: KindForbidden, Code: "banned", Rule: rl.policy.Rule(r.BanRule), Until: r.BannedUntil, Message: msg}
	}
	if r.PolicyVersion != rl.policy.Version {
		return &Refusal{Kind: KindPolicy, Code: "policy_not_accepted",
			Message: "Please read and accept the Standards Board Policy before commenting; it has changed since you last accepted it, or you have not accepted it yet."}
	}
	return nil
}

// open refuses articles that are missing, unpublished or closed, and
// returns the mode in force on the article.
func (s *Service) open(ctx context.Context, rl *rules, articleID int64, now time.Time) (Mode, error) {
	t, err := s.store.CommentTarget(ctx, articleID)
	if err != nil {
		return "", err
	}
	if !t.Published {
		return "", ErrNoArticle
	}
	mode := rl.settings.EffectiveMode(t.ArticleMode, t.SectionModes, t.PublishedAt, now)
	if mode == Closed {
		return "", &Refusal{Kind: KindClosed, Code: "closed", Message: "Comments on this article are closed."}
	}
	return mode, nil
}

// Mode is the mode in force on an article, for pages to show the box or
// the "closed" line.
func (s *Service) Mode(ctx context.Context, articleID int64) (Mode, error) {
	rl, err := s.load(ctx)
	if err != nil {
		return "", err
	}
	t, err := s.store.CommentTarget(ctx, articleID)
	if err != nil {
		return "", err
	}
	if !t.Published {
		return "", ErrNoArticle
	}
	return rl.settings.EffectiveMode(t.ArticleMode, t.SectionModes, t.PublishedAt, s.now()), nil
}

func (s *Service) hashIP(rl *rules, ip string) string {
	if ip == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(rl.salt + "|" + ip))
	return hex.EncodeToString(sum[:12])
}

// List returns a page of an article's comments as viewer sees them.
func (s *Service) List(ctx context.Context, articleID int64, sort Sort, offset int, viewer int64) (Page, error) {
	t, err := s.store.CommentTarget(ctx, articleID)
	if err != nil {
		return Page{}, err
	}
	if !t.Published {
		return Page{}, ErrNoArticle
	}
	if offset < 0 || offset > 100_000 {
		offset = 0
	}
	return s.store.ListComments(ctx, ListQuery{ArticleID: articleID, Sort: sort, Offset: offset, Limit: PageSize, Viewer: viewer})
}

// public loads a comment that readers may react to or report: a visible
// comment on a published article. Anything else is ErrNotFound.
func (s *Service) public(ctx context.Context, id int64) (Comment, error) {
	c, err := s.store.Comment(ctx, id)
	if err != nil {
		return Comment{}, err
	}
	if c.Status != Visible {
		return Comment{}, ErrNotFound
	}
	if err := s.onPublished(ctx, c); err != nil {
		return Comment{}, err
	}
	return c, nil
}

// onPublished refuses a comment whose article is not published, or not
// any more: its comments left the site with it, and nobody reacts to,
// reports, answers or edits them until it is published again. The answer
// is the one for a comment that does not exist, so that nothing about an
// unpublished article can be learnt through its comments. Posting and
// replying are refused by open, on the same rule.
func (s *Service) onPublished(ctx context.Context, c Comment) error {
	t, err := s.store.CommentTarget(ctx, c.ArticleID)
	switch {
	case errors.Is(err, ErrNoArticle):
		return ErrNotFound
	case err != nil:
		return err
	case !t.Published:
		return ErrNotFound
	}
	return nil
}

// own loads a comment and refuses it unless r wrote it.
func (s *Service) own(ctx context.Context, r reader.Reader, id int64) (Comment, error) {
	c, err := s.store.Comment(ctx, id)
	if err != nil {
		return Comment{}, err
	}
	if c.ReaderID != r.ID {
		return Comment{}, &Refusal{Kind: KindForbidden, Code: "not_yours", Message: "You can only change your own comments."}
	}
	if c.Status == Deleted {
		return Comment{}, ErrNotFound
	}
	return c, nil
}

// Edit changes the text of a reader's own comment within the edit window.
func (s *Service) Edit(ctx context.Context, r reader.Reader, id int64, text string) (Comment, error) {
	rl, err := s.load(ctx)
	if err != nil {
		return Comment{}, err
	}
	now := s.now()
	if err := s.mayWrite(rl, r, now); err != nil {
		return Comment{}, err
	}
	c, err := s.own(ctx, r, id)
	if err != nil {
		return Comment{}, err
	}
	if err := s.onPublished(ctx, c); err != nil {
		return Comment{}, err
	}
	window := time.Duration(rl.settings.EditWindow) * time.Second
	if now.Sub(c.CreatedAt) > window {
		return Comment{}, &Refusal{Kind: KindForbidden, Code: "edit_window_over",
			Message: fmt.Sprintf("Comments can be edited for %s after posting; this one can no longer be changed.", seconds(window))}
	}
	if c.Status == Rejected {
		return Comment{}, &Refusal{Kind: KindForbidden, Code: "rejected", Message: "A rejected comment cannot be edited."}
	}
	body, err := NormalizeBody(text, rl.settings.MaxLength)
	if err != nil {
		return Comment{}, err
	}
	switch d := Screen(body, rl.words, rl.settings.MaxLinks); d.Action {
	case Reject:
		rule := rl.policy.Rule(d.Rule)
		return Comment{}, &Refusal{Kind: KindInvalid, Code: "against_policy", Rule: rule, Message: d.Reason}
	case Hold:
		c.Status, c.Rule = Held, d.Rule
	}
	c.Body, c.EditedAt = body, now.UTC().Truncate(time.Millisecond)
	if err := s.store.EditComment(ctx, c, Fingerprint(body)); err != nil {
		return Comment{}, err
	}
	return c, nil
}

// Delete removes a reader's own comment. It stays as a "deleted"
// placeholder while it has replies.
func (s *Service) Delete(ctx context.Context, r reader.Reader, id int64) error {
	if _, err := s.own(ctx, r, id); err != nil {
		return err
	}
	_, err := s.store.SetCommentStatus(ctx, id, Deleted, LogEntry{At: s.now(), Action: "author_delete", Reason: "deleted by its author"})
	return err
}

// React likes (1), dislikes (-1) or takes back (0) a reaction.
func (s *Service) React(ctx context.Context, r reader.Reader, id int64, value int, ip string) (likes, dislikes int, err error) {
	rl, err := s.load(ctx)
	if err != nil {
		return 0, 0, err
	}
	now := s.now()
	if err := s.mayWrite(rl, r, now); err != nil {
		return 0, 0, err
	}
	if value < -1 || value > 1 {
		return 0, 0, invalid("bad_reaction", "A reaction is like (1), dislike (-1) or none (0).")
	}
	c, err := s.public(ctx, id)
	if err != nil {
		return 0, 0, err
	}
	if c.ReaderID == r.ID {
		return 0, 0, &Refusal{Kind: KindForbidden, Code: "own_comment", Message: "You cannot like or dislike your own comment."}
	}
	q := ReactQuery{DayStart: StartOfDay(now, rl.site.TimeZone), IPSince: now.Add(-time.Hour), IPHash: s.hashIP(rl, ip)}
	return s.store.React(ctx, r.ID, id, value, q, func(st ReactStats) error { return rl.settings.CheckReact(st, rl.policy, now) })
}

// MaxReportReason bounds the note a reader adds to a report.
const MaxReportReason = 500

// ErrAlreadyReported is a reader's second report of one comment.
var ErrAlreadyReported = &Refusal{Kind: KindConflict, Code: "already_reported", Message: "You have already reported this comment; moderators will look at it."}

// ReportInput is a reader's report: the number of the policy rule the
// comment breaks and a note. Readers choose the rule on the page; the note
// is optional then. A report without a rule (0), as older API clients send
// it, must say in its note what is wrong.
type ReportInput struct {
	Rule int
	Note string
}

// Report records a reader's report of someone else's comment.
func (s *Service) Report(ctx context.Context, r reader.Reader, id int64, in ReportInput) error {
	rl, err := s.load(ctx)
	if err != nil {
		return err
	}
	if err := s.mayWrite(rl, r, s.now()); err != nil {
		return err
	}
	if err := checkReport(rl.policy, &in); err != nil {
		return err
	}
	c, err := s.public(ctx, id)
	if err != nil {
		return err
	}
	if c.ReaderID == r.ID {
		return &Refusal{Kind: KindForbidden, Code: "own_comment", Message: "You cannot report your own comment; you can delete it."}
	}
	_, err = s.store.Report(ctx, r.ID, id, in.Rule, in.Note, rl.settings.AutoHideReports)
	return err
}

// checkReport refuses a rule the policy does not have, a note that is not
// plain text or too long, and a report that names neither a rule nor a
// reason. It trims the note.
func checkReport(pol Policy, in *ReportInput) error {
	in.Note = strings.TrimSpace(in.Note)
	if in.Note != "" && (!utf8.ValidString(in.Note) || Length(in.Note) > MaxReportReason || strings.ContainsFunc(in.Note, isControl)) {
		return &Refusal{Kind: KindInvalid, Code: "bad_reason", Limit: MaxReportReason,
			Message: fmt.Sprintf("Say in plain text, in at most %d characters, why the comment breaks the policy.", MaxReportReason)}
	}
	if in.Rule != 0 && pol.Rule(in.Rule).Text == "" {
		return &Refusal{Kind: KindInvalid, Code: "bad_rule", Limit: len(pol.Rules),
			Message: fmt.Sprintf("There is no rule %d in the Standards Board Policy; choose one of its rules, 1 to %d.", in.Rule, len(pol.Rules))}
	}
	if in.Rule == 0 && in.Note == "" {
		return &Refusal{Kind: KindInvalid, Code: "no_rule", Message: "Choose the rule of the Standards Board Policy that the comment breaks."}
	}
	return nil
}

// ReportLine is a report as moderators read it: the rule's number, then
// the reader's note.
func ReportLine(rule int, note string) string {
	switch {
	case rule == 0:
		return note
	case note == "":
		return fmt.Sprintf("Rule %d", rule)
	}
	return fmt.Sprintf("Rule %d: %s", rule, note)
}

func isControl(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }

func randomHex() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
