package api

import (
	"bytes"
	"encoding/json"
	"path"
	"strings"

	"github.com/docket-hq/docket"
)

// RenderEvent renders an event as a webhook delivers it: the JSON:API event envelope,
// with the attributes named by blocklist removed from the payload's objects and keys in
// the webhook's inflection. Blocklist entries are dotted paths relative to an object's
// attributes, each segment a glob ("fields.ssn", "fields.*", "name-*").
func RenderEvent(e *docket.Event, inflection string, blocklist []string) ([]byte, error) {
	res, err := eventResource(e)
	if err != nil {
		return nil, err
	}
	if len(blocklist) > 0 {
		payload := res["attributes"].(obj)["payload"].(obj)
		if data, ok := payload["data"].(obj); ok {
			blockAttributes(data, blocklist)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(inflectKeys(obj{"data": res}, inflection)); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func blockAttributes(resource obj, blocklist []string) {
	attrs, ok := resource["attributes"].(obj)
	if !ok {
		return
	}
	for _, b := range blocklist {
		removePath(attrs, strings.Split(b, "."))
	}
}

// removePath deletes the keys of m matching the glob path.
func removePath(m map[string]any, segs []string) {
	for k, v := range m {
		if ok, _ := path.Match(segs[0], k); !ok {
			continue
		}
		if len(segs) == 1 {
			delete(m, k)
			continue
		}
		if child, ok := v.(map[string]any); ok {
			removePath(child, segs[1:])
		}
	}
}
