package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"

	"bridge/host/benchrpc"
)

// document is the Transform input and the answer every peer must give.
type document struct {
	text     string
	expected interface{} // benchrpc.Transform of the parsed text
}

// newDocument builds a JSON document of about kb KB: records of strings,
// numbers, booleans, nulls, arrays and nested objects, the same every run.
func newDocument(kb int) (*document, error) {
	rng := rand.New(rand.NewSource(5))
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"}
	word := func() string { return words[rng.Intn(len(words))] }
	var records []interface{}
	doc := map[string]interface{}{"kind": "speedbench", "version": 1, "generated": "2025-01-01T00:00:00Z"}
	for {
		i := len(records)
		history := []interface{}{}
		for h := 0; h < 3; h++ {
			history = append(history, map[string]interface{}{
				"at":     1700000000 + rng.Intn(1000000),
				"amount": float64(rng.Intn(1000000)) / 100,
				"note":   nil,
			})
		}
		records = append(records, map[string]interface{}{
			"id":      i,
			"name":    fmt.Sprintf("%s %s-%d", word(), word(), i),
			"email":   fmt.Sprintf("user%d@example.org", i),
			"active":  rng.Intn(2) == 0,
			"score":   float64(rng.Intn(100000)) / 100,
			"tags":    []interface{}{word(), word(), word()},
			"address": map[string]interface{}{"street": fmt.Sprintf("%d %s road", rng.Intn(999), word()), "city": word(), "zip": fmt.Sprintf("%05d", rng.Intn(99999))},
			"history": history,
		})
		doc["records"] = records
		text, err := json.Marshal(doc)
		if err != nil {
			return nil, err
		}
		if len(text) >= kb*1024 {
			var parsed interface{}
			if err := json.Unmarshal(text, &parsed); err != nil {
				return nil, err
			}
			return &document{text: string(text), expected: benchrpc.Transform(parsed)}, nil
		}
	}
}

// check compares an answer with the expected document by value: key order
// and number formatting may differ between peers.
func (d *document) check(answer string) error {
	var got interface{}
	if err := json.Unmarshal([]byte(answer), &got); err != nil {
		return fmt.Errorf("the answer is not JSON: %v", err)
	}
	if !reflect.DeepEqual(got, d.expected) {
		want, _ := json.Marshal(d.expected)
		norm, _ := json.Marshal(got)
		return fmt.Errorf("wrong answer: got %.200s..., want %.200s...", norm, want)
	}
	return nil
}
