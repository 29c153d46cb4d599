package site

import "testing"

func TestFromMap_keepsDefaultsForBadValues(t *testing.T) {
	s := FromMap(map[string]string{KeyName: "  ", KeyLocale: "fr", KeyTimeZone: "Mars/Olympus"})
	if s.Name != "Broadsheet Daily" || s.Locale != "en" || s.TimeZone.String() != "Asia/Seoul" {
		t.Errorf("got %q %q %q, want the defaults", s.Name, s.Locale, s.TimeZone)
	}
	s = FromMap(map[string]string{KeyName: "Daily", KeyLocale: "ko", KeyTimeZone: "Europe/London"})
	if s.Name != "Daily" || s.Locale != "ko" || s.TimeZone.String() != "Europe/London" {
		t.Errorf("got %q %q %q", s.Name, s.Locale, s.TimeZone)
	}
}

func TestChange(t *testing.T) {
	str := func(s string) *string { return &s }
	got, err := Defaults().Change(str("Morning Post"), str("ko"), nil)
	if err != nil || got.Name != "Morning Post" || got.Locale != "ko" || got.TimeZone.String() != "Asia/Seoul" {
		t.Errorf("Change = %+v, %v", got, err)
	}
	for _, tt := range []struct{ name, locale, tz *string }{
		{name: str("")}, {name: str("a\nb")}, {locale: str("fr")}, {tz: str("Nowhere/City")}, {tz: str("")}, {tz: str("Local")},
	} {
		if _, err := Defaults().Change(tt.name, tt.locale, tt.tz); err == nil {
			t.Errorf("Change(%v, %v, %v) accepted", tt.name, tt.locale, tt.tz)
		}
	}
}
