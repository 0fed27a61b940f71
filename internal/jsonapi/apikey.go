package jsonapi

import "github.com/docket-hq/docket"

// APIKey renders an API key. Only a hash of the secret is stored, so the secret can be
// shown only in the answer that created the key (secret != ""); every other answer has
// "secret": null.
func APIKey(k *docket.APIKey, secret string) Object {
	var s any
	if secret != "" {
		s = secret
	}
	return resource("api-key", k.ID, Object{
		"name": k.Name, "scopes": orEmpty(k.Scopes), "user-id": strOrNil(k.UserID), "secret": s, "created-at": ts(k.CreatedAt),
		"expires-at": tsPtr(k.ExpiresAt), "last-used-at": tsPtr(k.LastUsedAt), "revoked-at": tsPtr(k.RevokedAt),
	}, Object{"user": one("user", k.UserID)})
}
