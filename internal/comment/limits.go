package comment

import (
	"fmt"
	"time"
)

// PostStats is what the limits need to know about a reader's recent
// comments. The store gathers it inside the transaction that inserts the
// comment, with the reader's row locked, so two comments posted at once
// cannot both slip under a limit.
type PostStats struct {
	Today      int       // the reader's comments since the start of the day
	OnArticle  int       // the reader's comments on this article
	Last       time.Time // the reader's previous comment; zero if none
	IPHour     int       // comments from the same address in the last hour
	Duplicate  bool      // the same text from the reader within DuplicateWindow
	DayStarted time.Time // the start of the day the Today count covers
}

// CheckPost applies the anti-manipulation limits to a new comment.
func (s Settings) CheckPost(st PostStats, p Policy, now time.Time) error {
	if st.Duplicate {
		return &Refusal{Kind: KindInvalid, Code: "duplicate", Rule: p.Rule(RuleFlooding),
			Message: "You have already posted this comment. Posting the same text again is not allowed."}
	}
	if s.Interval > 0 && !st.Last.IsZero() {
		if wait := st.Last.Add(time.Duration(s.Interval) * time.Second).Sub(now); wait > 0 {
			return limited("interval", s.Interval, wait, p.Rule(RuleFlooding),
				fmt.Sprintf("Please wait %d seconds between comments; you can post again in %s.", s.Interval, seconds(wait)))
		}
	}
	if st.Today >= s.PerDay {
		wait := st.DayStarted.Add(24 * time.Hour).Sub(now)
		return limited("per_day", s.PerDay, wait, p.Rule(RuleFlooding),
			fmt.Sprintf("You have posted %d comments today, the daily limit; the limit resets in %s.", s.PerDay, seconds(wait)))
	}
	if st.OnArticle >= s.PerArticle {
		// This limit never resets, so it is not a "try again later" (429).
		return &Refusal{Kind: KindForbidden, Code: "per_article", Limit: s.PerArticle, Rule: p.Rule(RuleFlooding),
			Message: fmt.Sprintf("You have posted %d comments on this article, the most allowed on one article.", s.PerArticle)}
	}
	if s.PerIPHour > 0 && st.IPHour >= s.PerIPHour {
		return limited("per_ip", s.PerIPHour, time.Hour, p.Rule(RuleFlooding),
			fmt.Sprintf("Too many comments have come from your network in the last hour (limit %d); please try again within an hour.", s.PerIPHour))
	}
	return nil
}

// ReactStats is what the reaction limits need, gathered like PostStats.
type ReactStats struct {
	Today      int
	Last       time.Time
	IPHour     int
	DayStarted time.Time
}

// CheckReact applies the limits on likes and dislikes.
func (s Settings) CheckReact(st ReactStats, p Policy, now time.Time) error {
	if s.ReactionInterval > 0 && !st.Last.IsZero() {
		if wait := st.Last.Add(time.Duration(s.ReactionInterval) * time.Second).Sub(now); wait > 0 {
			return limited("reaction_interval", s.ReactionInterval, wait, p.Rule(RuleReactions),
				fmt.Sprintf("Please wait %d seconds between reactions; you can react again in %s.", s.ReactionInterval, seconds(wait)))
		}
	}
	if st.Today >= s.ReactionsPerDay {
		wait := st.DayStarted.Add(24 * time.Hour).Sub(now)
		return limited("reactions_per_day", s.ReactionsPerDay, wait, p.Rule(RuleReactions),
			fmt.Sprintf("You have used your %d reactions for today; the limit resets in %s.", s.ReactionsPerDay, seconds(wait)))
	}
	if s.ReactionsIPHour > 0 && st.IPHour >= s.ReactionsIPHour {
		return limited("reactions_per_ip", s.ReactionsIPHour, time.Hour, p.Rule(RuleReactions),
			fmt.Sprintf("Too many reactions have come from your network in the last hour (limit %d); please try again within an hour.", s.ReactionsIPHour))
	}
	return nil
}

func limited(code string, limit int, wait time.Duration, r Rule, msg string) *Refusal {
	return &Refusal{Kind: KindLimited, Code: code, Limit: limit, RetryAfter: wait, Rule: r, Message: msg}
}

// seconds writes a wait for people: "45 seconds", "3 minutes", "5 hours".
func seconds(d time.Duration) string {
	switch s := int(d.Round(time.Second).Seconds()); {
	case s < 1:
		return "a moment"
	case s < 120:
		return fmt.Sprintf("%d seconds", s)
	case s < 2*3600:
		return fmt.Sprintf("%d minutes", (s+59)/60)
	default:
		return fmt.Sprintf("%d hours", (s+3599)/3600)
	}
}

// StartOfDay is midnight in the site's time zone: daily limits reset then.
func StartOfDay(now time.Time, tz *time.Location) time.Time {
	t := now.In(tz)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, tz)
}
