package benchrpc

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// SizeKey is the member Transform adds to every object: its number of keys.
const SizeKey = "_size"

// Transform is the reference of the CPU-heavy handler, which every peer
// implements the same way: strings upper-cased, numbers n*2+1, booleans
// negated, arrays reversed, objects with their keys in sorted order and one
// more member, SizeKey, holding how many keys the object had. v is a value
// as encoding/json decodes into interface{}.
func Transform(v interface{}) interface{} {
	switch x := v.(type) {
	case string:
		return strings.ToUpper(x)
	case float64:
		return x*2 + 1
	case bool:
		return !x
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, e := range x {
			out[len(x)-1-i] = Transform(e)
		}
		return out
	case map[string]interface{}:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		// Sorting is part of the work every peer does; encoding/json would
		// sort the keys again when writing, which costs Go a little extra.
		sort.Strings(keys)
		out := make(map[string]interface{}, len(x)+1)
		out[SizeKey] = float64(len(keys))
		for _, k := range keys {
			out[k] = Transform(x[k])
		}
		return out
	default: // nil
		return v
	}
}

// TransformJSON parses doc, transforms it and serialises the result.
func TransformJSON(doc string) (string, error) {
	var v interface{}
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return "", fmt.Errorf("the document is not JSON: %w", err)
	}
	out, err := json.Marshal(Transform(v))
	if err != nil {
		return "", fmt.Errorf("serialising the transformed document: %w", err)
	}
	return string(out), nil
}
