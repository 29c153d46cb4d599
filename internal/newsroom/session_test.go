package newsroom

import "testing"

func TestSafeNext_staysOnTheNewsroom(t *testing.T) {
	tests := map[string]string{
		"/newsroom/moderation?show=held": "/newsroom/moderation?show=held",
		"/newsroom/":                     "/newsroom/",
		"":                               "/newsroom/",
		"/":                              "/newsroom/",
		"//evil.example/newsroom/":       "/newsroom/",
		"https://evil.example/newsroom/": "/newsroom/",
		"/\\evil.example":                "/newsroom/",
		"/newsroom/../account":           "/newsroom/",
		"/newsroom/%0d%0aSet-Cookie:x":   "/newsroom/%0d%0aSet-Cookie:x",
		"/newsroom/\r\nLocation: x":      "/newsroom/",
		"javascript:alert(1)":            "/newsroom/",
		"/article/1":                     "/newsroom/",
	}
	for in, want := range tests {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
