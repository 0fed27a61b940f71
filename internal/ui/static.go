package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded file under its content-hashed name.
type asset struct {
	body  []byte
	ctype string
}

// assets maps "app.<hash>.css" to the file; assetNames maps "app.css" to that URL. A
// changed file gets a new URL, so assets can be cached for a year.
var assets, assetNames = loadAssets()

func loadAssets() (map[string]asset, map[string]string) {
	byURL, byName := map[string]asset{}, map[string]string{}
	files, err := fs.Glob(staticFS, "static/*")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		b, err := staticFS.ReadFile(f)
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		name := path.Base(f)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		byURL[hashed] = asset{body: b, ctype: mime.TypeByExtension(ext)}
		byName[name] = "/static/" + hashed
	}
	return byURL, byName
}

// assetURL returns the URL of an embedded file by its plain name ("app.css").
func assetURL(name string) string {
	if u, ok := assetNames[name]; ok {
		return u
	}
	panic("ui: no static asset " + name)
}

func (h *Handler) static(w http.ResponseWriter, r *http.Request) {
	a, ok := assets[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(a.body)
}

// favicon answers browsers that ask for /favicon.ico regardless of the page's icon link.
func (h *Handler) favicon(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, assetURL("icon.svg"), http.StatusMovedPermanently)
}

func base64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func unbase64url(s string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return string(b), err == nil
}
