package e2e

// Several services in one plugin (issue 12, "Services"): two services with a
// method of the same name, each served by its own service object, answer
// differently through the real host; `bridgejs call` needs the full name of
// such a method; a flat export of the shared name does not start.

import (
	"context"
	"strings"
	"testing"

	"github.com/golang/protobuf/ptypes/wrappers"
)

const shopProto = `syntax = "proto3";
package shop.v1;
import "google/protobuf/wrappers.proto";
service Inventory {
  rpc Get(google.protobuf.StringValue) returns (google.protobuf.StringValue);
}
service Orders {
  rpc Get(google.protobuf.StringValue) returns (google.protobuf.StringValue);
  rpc Count(google.protobuf.StringValue) returns (google.protobuf.StringValue);
}
`

// this in each handler is its service object, whose data the answer shows.
const shopScript = `export const Inventory = {
  kind: "inventory",
  Get(request) { return this.kind + ":" + request; },
};
export const Orders = {
  kind: "order",
  async Get(request) { return this.kind + ":" + request; },
};
export function Count(request) { return "count:" + request; }
`

func writeShop(t *testing.T, script string) string {
	return protoPlugin(t, "shop", shopProto, script)
}

func TestServicesSharingAMethodNameAnswerFromTheirOwnObjects(t *testing.T) {
	bridgeLauncher(t)
	script := writeShop(t, shopScript)
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, script)})

	for method, want := range map[string]string{
		"/shop.v1.Inventory/Get": "inventory:a",
		"/shop.v1.Orders/Get":    "order:a",
		"/shop.v1.Orders/Count":  "count:a",
	} {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
		var got wrappers.StringValue
		err := p.RPC.Conn.Invoke(ctx, method, &wrappers.StringValue{Value: "a"}, &got)
		cancel()
		if err != nil || got.Value != want {
			t.Errorf("%s through the host: got %q, %v; want %q", method, got.Value, err, want)
		}
	}

	// bridgejs call reaches the same object by the method's full name...
	code, stdout, stderr := runCmdline(t, bridgeCmdline(t, nil, "call", script, "shop.v1.Orders/Get", `"b"`), nil, failFast)
	if code != 0 || strings.TrimSpace(stdout) != `"order:b"` {
		t.Errorf("bridgejs call shop.v1.Orders/Get: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	// ...and refuses the shared name alone, naming both.
	code, _, stderr = runCmdline(t, bridgeCmdline(t, nil, "call", script, "Get", `"b"`), nil, failFast)
	if code == 0 || !containsAll(stderr, []string{"shop.v1.Inventory/Get", "shop.v1.Orders/Get", "Service/Method"}) {
		t.Errorf("bridgejs call Get: exit %d, stderr:\n%s\nwant a failure naming both methods", code, stderr)
	}
}

func TestAFlatExportOfASharedMethodNameDoesNotStart(t *testing.T) {
	bridgeLauncher(t)
	script := writeShop(t, `export function Get(request) { return request; }
export function Count(request) { return request; }
`)
	code, _, stderr := runCmdline(t, bridgeCmdline(t, nil, "call", script, "shop.v1.Orders/Count", `"c"`), nil, failFast)
	want := []string{"shop.js exports Get", "shop.v1.Inventory", "shop.v1.Orders", "export const Inventory = {", "export const Orders = {"}
	if code == 0 || !containsAll(stderr, want) {
		t.Errorf("bridgejs call with a flat shared Get: exit %d, stderr:\n%s\nwant a start-up error naming %q", code, stderr, want)
	}
}
