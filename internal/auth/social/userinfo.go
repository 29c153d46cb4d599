package social

import (
	"cmp"
	"encoding/json"
	"fmt"
)

// The user endpoints of the plain OAuth 2.0 providers each have their own
// shape. Only the fields the site shows are read. Email is left empty for
// all of them but GitHub: none of the others vouches for the address.

// parseTwitterUser reads GET /2/users/me?user.fields=profile_image_url.
func parseTwitterUser(body []byte) (Identity, error) {
	var v struct {
		Data struct {
			ID              string `json:"id"`
			Name            string `json:"name"`
			Username        string `json:"username"`
			ProfileImageURL string `json:"profile_image_url"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return Identity{}, err
	}
	return Identity{
		Subject:   v.Data.ID,
		Name:      cmp.Or(v.Data.Name, v.Data.Username),
		AvatarURL: v.Data.ProfileImageURL,
	}, nil
}

// parseFacebookUser reads GET /me?fields=id,name,picture.
func parseFacebookUser(body []byte) (Identity, error) {
	var v struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Picture struct {
			Data struct {
				URL string `json:"url"`
			} `json:"data"`
		} `json:"picture"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return Identity{}, err
	}
	return Identity{Subject: v.ID, Name: v.Name, AvatarURL: v.Picture.Data.URL}, nil
}

// parseNaverUser reads GET /v1/nid/me, which wraps the profile in
// "response" and reports failures in "resultcode" (anything but "00").
func parseNaverUser(body []byte) (Identity, error) {
	var v struct {
		ResultCode string `json:"resultcode"`
		Response   struct {
			ID           string `json:"id"`
			Nickname     string `json:"nickname"`
			Name         string `json:"name"`
			ProfileImage string `json:"profile_image"`
		} `json:"response"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return Identity{}, err
	}
	if v.ResultCode != "" && v.ResultCode != "00" {
		return Identity{}, fmt.Errorf("naver resultcode %q", v.ResultCode)
	}
	return Identity{
		Subject:   v.Response.ID,
		Name:      cmp.Or(v.Response.Nickname, v.Response.Name),
		AvatarURL: v.Response.ProfileImage,
	}, nil
}

// parseGitHubUser reads GET /user. The id is a JSON number; it is kept as
// its digits so a large id is never rounded through float64.
func parseGitHubUser(body []byte) (Identity, error) {
	var v struct {
		ID        json.Number `json:"id"`
		Login     string      `json:"login"`
		Name      string      `json:"name"`
		AvatarURL string      `json:"avatar_url"`
		Email     string      `json:"email"` // the public email, which GitHub only allows once verified
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return Identity{}, err
	}
	if _, err := v.ID.Int64(); v.ID != "" && err != nil {
		return Identity{}, fmt.Errorf("github id %q is not an integer", v.ID)
	}
	return Identity{
		Subject:   v.ID.String(),
		Name:      cmp.Or(v.Name, v.Login),
		AvatarURL: v.AvatarURL,
		Email:     v.Email,
	}, nil
}
