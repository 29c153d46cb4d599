package social

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseUser(t *testing.T) {
	tests := []struct {
		name    string
		parse   func([]byte) (Identity, error)
		body    string
		want    Identity
		wantErr bool
	}{
		{
			name:  "x falls back to the username",
			parse: parseTwitterUser,
			body:  `{"data":{"id":"7","name":"","username":"desk"}}`,
			want:  Identity{Subject: "7", Name: "desk"},
		},
		{
			name:  "facebook without a picture",
			parse: parseFacebookUser,
			body:  `{"id":"5","name":"Lee"}`,
			want:  Identity{Subject: "5", Name: "Lee"},
		},
		{
			name:  "naver falls back to the name",
			parse: parseNaverUser,
			body:  `{"resultcode":"00","response":{"id":"n1","name":"이름"}}`,
			want:  Identity{Subject: "n1", Name: "이름"},
		},
		{
			name:    "naver error result",
			parse:   parseNaverUser,
			body:    `{"resultcode":"024","message":"Authentication failed"}`,
			wantErr: true,
		},
		{
			name:  "github name preferred over login",
			parse: parseGitHubUser,
			body:  `{"id":583231,"login":"octocat","name":"The Octocat","avatar_url":"https://a.example/1"}`,
			want:  Identity{Subject: "583231", Name: "The Octocat", AvatarURL: "https://a.example/1"},
		},
		{
			name:    "github id that is not an integer",
			parse:   parseGitHubUser,
			body:    `{"id":1.5,"login":"x"}`,
			wantErr: true,
		},
		{
			name:    "not JSON",
			parse:   parseFacebookUser,
			body:    `<html>`,
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse([]byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Identity (-want +got):\n%s", diff)
			}
		})
	}
}
