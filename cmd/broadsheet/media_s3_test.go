package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"broadsheet/internal/media/s3test"
)

// The program serves the demo with its images in an S3 bucket: --media
// s3://… with the BROADSHEET_S3_* variables, the demo's images written
// to the bucket and served from it at their usual address.
func TestRun_servesTheDemoFromAnS3Bucket(t *testing.T) {
	gw := s3test.Start(t)
	gw.MakeBucket(t, "paper-media")
	dir := t.TempDir()
	env := map[string]string{"BROADSHEET_DATA": dir, "BROADSHEET_S3_ENDPOINT": gw.Endpoint,
		"BROADSHEET_S3_ACCESS_KEY": gw.AccessKey, "BROADSHEET_S3_SECRET_KEY": gw.SecretKey}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs bytes.Buffer
	base, done := startServe(t, ctx, []string{"broadsheet", "serve", "--addr", "127.0.0.1:0", "--demo", "--media", "s3://paper-media/site"},
		func(k string) string { return env[k] }, &logs)
	if objs := gw.Objects(t, "paper-media", "site/demo/"); !slices.Contains(objs, "site/demo/harbor.png") {
		t.Errorf("the demo's images in the bucket: %v", objs)
	}
	res, err := http.Get(base + "/media/demo/harbor.png")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("demo image: %d %q, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(b))
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if strings.Contains(logs.String(), gw.SecretKey) {
		t.Error("the log has the secret key")
	}
}

// A mistake in the S3 settings stops serve at once, saying what is
// wrong, without the secret.
func TestRun_refusesBadS3Settings(t *testing.T) {
	gw := s3test.Start(t)
	gw.MakeBucket(t, "paper-media")
	full := map[string]string{"BROADSHEET_DATA": t.TempDir(), "BROADSHEET_S3_ENDPOINT": gw.Endpoint,
		"BROADSHEET_S3_ACCESS_KEY": gw.AccessKey, "BROADSHEET_S3_SECRET_KEY": gw.SecretKey}
	for _, tt := range []struct {
		media string
		env   map[string]string
		want  string
	}{
		{"s3://paper-media", map[string]string{"BROADSHEET_S3_ENDPOINT": gw.Endpoint}, "BROADSHEET_S3_SECRET_KEY are both required"},
		{"s3://Paper Media", full, "want s3://bucket"},
		{"s3://no-such-bucket", full, `bucket "no-such-bucket" does not exist`},
		{"s3://paper-media", map[string]string{"BROADSHEET_DATA": full["BROADSHEET_DATA"], "BROADSHEET_S3_ENDPOINT": gw.Endpoint,
			"BROADSHEET_S3_ACCESS_KEY": gw.AccessKey, "BROADSHEET_S3_SECRET_KEY": "wrong-secret-wrong-secret"}, "refused the access key and secret"},
	} {
		err := run(context.Background(), []string{"broadsheet", "serve", "--addr", "127.0.0.1:0", "--media", tt.media},
			func(k string) string { return tt.env[k] }, io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("--media %s: got %v, want an error saying %q", tt.media, err, tt.want)
		}
		if err != nil && (strings.Contains(err.Error(), gw.SecretKey) || strings.Contains(err.Error(), "wrong-secret")) {
			t.Errorf("--media %s: the error quotes the secret: %v", tt.media, err)
		}
	}
}
