package i18n

import (
	"testing"
	"time"
)

func TestMatch(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ header, def, want string }{
		{"ko-KR,ko;q=0.9,en;q=0.8", "en", "ko"},
		{"en-US,en;q=0.9", "ko", "en"},
		{"fr-FR", "ko", "ko"},
		{"", "en", "en"},
		{";;;garbage", "en", "en"},
	}
	for _, tt := range tests {
		if got := c.Match(tt.header, tt.def); got != tt.want {
			t.Errorf("Match(%q, %q) = %q, want %q", tt.header, tt.def, got, tt.want)
		}
	}
}

func TestMessagesAndDates(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	seoul, _ := time.LoadLocation("Asia/Seoul")
	tm := time.Date(2026, 11, 26, 6, 30, 0, 0, time.UTC)
	tests := []struct{ lang, got, want string }{
		{"en", c.For("en").T("print"), "Print"},
		{"ko", c.For("ko").T("print"), "인쇄"},
		{"en", c.For("en").N("article_count", 1), "1 article"},
		{"en", c.For("en").N("article_count", 5), "5 articles"},
		{"ko", c.For("ko").N("article_count", 5), "기사 5건"},
		{"en", c.For("en").T("articles_by", "Name", "Kim"), "Articles by Kim"},
		{"en", c.For("en").DateTime(tm, seoul), "November 26, 2026, 3:30 PM KST"},
		{"ko", c.For("ko").DateTime(tm, seoul), "2026년 11월 26일 15:30 KST"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.lang, tt.got, tt.want)
		}
	}
}
