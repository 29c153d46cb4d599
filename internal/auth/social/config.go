package social

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

// ProviderConfig is one login provider the site offers.
//
// Empty endpoint and label fields take the provider's defaults (see
// builtins), so a test or a self-hosted setup only sets what differs.
type ProviderConfig struct {
	Provider     string // key and URL segment: twitter, facebook, google, kakao, naver, github or oidc
	Label        string // button text
	ClientID     string
	ClientSecret string

	// Issuer is where discovery starts for the OpenID Connect providers
	// (google, kakao, oidc).
	Issuer string

	// The plain OAuth 2.0 providers (twitter, facebook, naver, github) have
	// no discovery, so their endpoints are listed.
	AuthURL     string
	TokenURL    string
	UserInfoURL string
}

// String leaves the client secret out, so printing a configuration
// (%v, a panic message, a debug log) never leaks it.
func (c ProviderConfig) String() string {
	return fmt.Sprintf("%s (client %s)", c.Provider, c.ClientID)
}

// LogValue leaves the client secret out of structured logs; slog's JSON
// handler would otherwise marshal every field.
func (c ProviderConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("provider", c.Provider),
		slog.String("client_id", c.ClientID),
		slog.String("issuer", c.Issuer),
	)
}

// envNames lists the providers FromEnv looks for, in button order.
var envNames = []string{"TWITTER", "FACEBOOK", "GOOGLE", "KAKAO", "NAVER", "GITHUB", "OIDC"}

// FromEnv reads the providers switched on in the environment, in the
// order X, Facebook, Google, Kakao, Naver, GitHub, generic OpenID Connect.
//
// A provider is on when BROADSHEET_AUTH_<PROVIDER>_CLIENT_ID and
// _CLIENT_SECRET are both set. Every mistake found is reported at once,
// so an operator fixes the environment in one go.
func FromEnv(getenv func(string) string) ([]ProviderConfig, error) {
	var (
		out  []ProviderConfig
		errs []error
	)
	for _, name := range envNames {
		c, on, err := providerFromEnv(getenv, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if on {
			out = append(out, c)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("social: reader login configuration: %w", errors.Join(errs...))
	}
	return out, nil
}

func providerFromEnv(getenv func(string) string, name string) (ProviderConfig, bool, error) {
	prefix := "BROADSHEET_AUTH_" + name + "_"
	get := func(suffix string) string { return strings.TrimSpace(getenv(prefix + suffix)) }

	key := strings.ToLower(name)
	c := ProviderConfig{
		Provider:     key,
		ClientID:     get("CLIENT_ID"),
		ClientSecret: get("CLIENT_SECRET"),
	}
	switch {
	case c.ClientID == "" && c.ClientSecret == "":
		return ProviderConfig{}, false, nil
	case c.ClientSecret == "":
		return ProviderConfig{}, false, fmt.Errorf("%sCLIENT_SECRET is not set, but %sCLIENT_ID is", prefix, prefix)
	case c.ClientID == "":
		return ProviderConfig{}, false, fmt.Errorf("%sCLIENT_ID is not set, but %sCLIENT_SECRET is", prefix, prefix)
	}

	b := builtins[key]
	var errs []error
	if b.oidc {
		c.Issuer = get("ISSUER")
		if key == "oidc" {
			if c.Issuer == "" {
				errs = append(errs, fmt.Errorf("%sISSUER is not set: the generic OpenID Connect provider needs its issuer URL", prefix))
			}
			c.Label = get("NAME")
		}
		// Endpoint variables mean nothing to a provider found by
		// discovery; accepting them silently would hide a mistake.
		for _, suffix := range []string{"AUTH_URL", "TOKEN_URL", "USERINFO_URL"} {
			if get(suffix) != "" {
				errs = append(errs, fmt.Errorf("%s%s has no effect: %s is found by discovery from %sISSUER", prefix, suffix, key, prefix))
			}
		}
	} else {
		c.AuthURL = get("AUTH_URL")
		c.TokenURL = get("TOKEN_URL")
		c.UserInfoURL = get("USERINFO_URL")
		if get("ISSUER") != "" {
			errs = append(errs, fmt.Errorf("%sISSUER has no effect: %s is plain OAuth 2.0; set %sAUTH_URL, _TOKEN_URL and _USERINFO_URL instead", prefix, key, prefix))
		}
	}
	c = c.withDefaults()
	for _, u := range []struct{ suffix, value string }{
		{"ISSUER", c.Issuer}, {"AUTH_URL", c.AuthURL}, {"TOKEN_URL", c.TokenURL}, {"USERINFO_URL", c.UserInfoURL},
	} {
		if u.value != "" && !isWebURL(u.value) {
			errs = append(errs, fmt.Errorf("%s%s: %q is not an absolute http(s) URL", prefix, u.suffix, u.value))
		}
	}
	if len(errs) > 0 {
		return ProviderConfig{}, false, errors.Join(errs...)
	}
	return c, true, nil
}

// withDefaults fills empty label and endpoint fields from the provider's
// defaults. Unknown providers are returned unchanged; validate refuses them.
func (c ProviderConfig) withDefaults() ProviderConfig {
	b, ok := builtins[c.Provider]
	if !ok {
		return c
	}
	c.Label = cmp.Or(c.Label, b.label)
	if b.oidc {
		c.Issuer = cmp.Or(c.Issuer, b.issuer)
		return c
	}
	c.AuthURL = cmp.Or(c.AuthURL, b.endpoint.AuthURL)
	c.TokenURL = cmp.Or(c.TokenURL, b.endpoint.TokenURL)
	c.UserInfoURL = cmp.Or(c.UserInfoURL, b.userInfoURL)
	return c
}

// validate reports what makes c unusable, naming fields rather than
// environment variables because configurations are also built in code.
func (c ProviderConfig) validate() error {
	b, ok := builtins[c.Provider]
	if !ok {
		return fmt.Errorf("provider %q: unknown (want one of %s)", c.Provider, strings.Join(builtinOrder, ", "))
	}
	if c.ClientID == "" || c.ClientSecret == "" {
		return fmt.Errorf("provider %s: ClientID and ClientSecret are both required", c.Provider)
	}
	urls := map[string]string{"AuthURL": c.AuthURL, "TokenURL": c.TokenURL, "UserInfoURL": c.UserInfoURL}
	if b.oidc {
		urls = map[string]string{"Issuer": c.Issuer}
	}
	for field, v := range urls {
		if !isWebURL(v) {
			return fmt.Errorf("provider %s: %s %q is not an absolute http(s) URL", c.Provider, field, v)
		}
	}
	return nil
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
