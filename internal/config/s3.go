package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// S3 is an S3-compatible bucket that holds the media, from
// --media s3://bucket/prefix and the BROADSHEET_S3_* variables.
type S3 struct {
	Endpoint  string // gateway origin, such as https://s3.eu-west-1.amazonaws.com
	Bucket    string
	Prefix    string // before every key, without slashes at either end; may be ""
	AccessKey string
	SecretKey string // never printed: see String and LogValue
	Region    string // us-east-1 when unset
	// Timeout bounds each call to the gateway; 0 is the media package's
	// default. Only tests set it; it has no variable.
	Timeout time.Duration
}

// String names the bucket and gateway without the secret key, so that a
// Config printed with %v or %+v shows no credential.
func (s S3) String() string {
	return fmt.Sprintf("s3://%s/%s at %s (region %s, access key %s, secret key %s)",
		s.Bucket, s.Prefix, s.Endpoint, s.Region, s.AccessKey, redactedIfSet(s.SecretKey))
}

// LogValue is what slog writes for an S3: never the secret key.
func (s S3) LogValue() slog.Value {
	return slog.GroupValue(slog.String("endpoint", s.Endpoint), slog.String("bucket", s.Bucket),
		slog.String("prefix", s.Prefix), slog.String("region", s.Region))
}

func redactedIfSet(v string) string {
	if v == "" {
		return "unset"
	}
	return "set"
}

// parseS3 reads --media s3://bucket/prefix with the BROADSHEET_S3_*
// variables in env, and says what is wrong or missing.
func parseS3(media string, env *S3) (*S3, error) {
	if env == nil { // a Config not made by Register
		env = &S3{}
	}
	u, err := url.Parse(media)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("--media %q: want s3://bucket or s3://bucket/prefix", media)
	}
	s := *env
	s.Bucket, s.Prefix = u.Host, strings.Trim(u.Path, "/")
	var errs []error
	if !validBucket(s.Bucket) {
		errs = append(errs, fmt.Errorf("--media %q: %q is not a bucket name (3 to 63 lower-case letters, digits, dots and hyphens)", media, s.Bucket))
	}
	for seg := range strings.SplitSeq(s.Prefix, "/") {
		if s.Prefix != "" && (seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, `\?#%`)) {
			errs = append(errs, fmt.Errorf("--media %q: the prefix %q has an empty, dot or escaped segment", media, s.Prefix))
			break
		}
	}
	e, err := url.Parse(s.Endpoint)
	switch {
	case s.Endpoint == "":
		errs = append(errs, errors.New("BROADSHEET_S3_ENDPOINT is required with --media s3://…: the gateway's origin, such as https://s3.eu-west-1.amazonaws.com"))
	case err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" || (e.Path != "" && e.Path != "/") || e.User != nil:
		errs = append(errs, fmt.Errorf("BROADSHEET_S3_ENDPOINT %q: want an origin such as https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:7070", s.Endpoint))
	}
	s.Endpoint = strings.TrimRight(s.Endpoint, "/")
	if s.AccessKey == "" || s.SecretKey == "" {
		errs = append(errs, errors.New("BROADSHEET_S3_ACCESS_KEY and BROADSHEET_S3_SECRET_KEY are both required with --media s3://…"))
	}
	if s.Region == "" {
		s.Region = "us-east-1"
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &s, nil
}

// validBucket follows S3's rules for new bucket names, leaving out the
// rarer ones (no IP-address look-alikes, no "xn--" start).
func validBucket(name string) bool {
	if len(name) < 3 || len(name) > 63 || strings.Contains(name, "..") {
		return false
	}
	for i, c := range []byte(name) {
		alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		if !alnum && ((c != '.' && c != '-') || i == 0 || i == len(name)-1) {
			return false
		}
	}
	return true
}
