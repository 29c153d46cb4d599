// Package site holds the site-wide settings kept in the database: the
// paper's name, its default interface language and its time zone.
package site

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"broadsheet/internal/i18n"
)

// The setting keys as stored.
const (
	KeyName     = "site_name"
	KeyLocale   = "locale"
	KeyTimeZone = "timezone"
)

// Settings are the site's settings with their defaults filled in.
type Settings struct {
	Name     string
	Locale   string // default interface language: "en" or "ko"
	TimeZone *time.Location
}

// Defaults are the settings of a new site.
func Defaults() Settings {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		seoul = time.FixedZone("KST", 9*60*60) // no zone database on this host
	}
	return Settings{Name: "Broadsheet Daily", Locale: "en", TimeZone: seoul}
}

// FromMap reads stored settings; a missing or unusable value keeps its
// default, so a bad row can never take the site down.
func FromMap(m map[string]string) Settings {
	s := Defaults()
	if v := strings.TrimSpace(m[KeyName]); v != "" {
		s.Name = v
	}
	if i18n.IsSupported(m[KeyLocale]) {
		s.Locale = m[KeyLocale]
	}
	if v := m[KeyTimeZone]; v != "" {
		if tz, err := time.LoadLocation(v); err == nil {
			s.TimeZone = tz
		}
	}
	return s
}

// Map is the stored form of s.
func (s Settings) Map() map[string]string {
	return map[string]string{KeyName: s.Name, KeyLocale: s.Locale, KeyTimeZone: s.TimeZone.String()}
}

// ValidationError maps each invalid setting to a message.
type ValidationError map[string]string

func (v ValidationError) Error() string {
	return fmt.Sprintf("invalid settings: %v", map[string]string(v))
}

// Change applies the given values (nil: keep) to s and validates them.
func (s Settings) Change(name, locale, timeZone *string) (Settings, error) {
	v := ValidationError{}
	if name != nil {
		n := strings.TrimSpace(*name)
		if n == "" || utf8.RuneCountInString(n) > 100 || strings.ContainsAny(n, "\x00\r\n") {
			v["site_name"] = "must be 1 to 100 characters on one line"
		}
		s.Name = n
	}
	if locale != nil {
		if !i18n.IsSupported(*locale) {
			v["locale"] = `must be "en" or "ko"`
		}
		s.Locale = *locale
	}
	if timeZone != nil {
		tz, err := time.LoadLocation(*timeZone)
		if err != nil || *timeZone == "" || *timeZone == "Local" {
			v["timezone"] = "must be an IANA time zone name such as Asia/Seoul"
		} else {
			s.TimeZone = tz
		}
	}
	if len(v) > 0 {
		return Settings{}, v
	}
	return s, nil
}
