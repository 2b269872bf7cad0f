package e2e

// A handler's mistakes (issue 11, item 7): the status and message a host
// sees are the ones `bridgejs call` prints, they name the field at fault, and
// each failing call leaves exactly one line in the plugin's log, at the level
// its status code has.

import (
	"context"
	"strings"
	"testing"
	"time"

	empty "github.com/golang/protobuf/ptypes/empty"
	structpb "github.com/golang/protobuf/ptypes/struct"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

const errsProto = `syntax = "proto3";
package errs;
import "google/protobuf/empty.proto";
import "google/protobuf/struct.proto";
service Errs {
  rpc Nan(google.protobuf.Empty) returns (google.protobuf.Struct);
  rpc Cycle(google.protobuf.Empty) returns (google.protobuf.Struct);
  rpc Shape(google.protobuf.Empty) returns (google.protobuf.Struct);
  rpc Missing(google.protobuf.Empty) returns (google.protobuf.Struct);
  rpc BadCode(google.protobuf.Empty) returns (google.protobuf.Struct);
}
`

const errsScript = `export function Nan() { return { name: "n", score: NaN }; }
export function Cycle() { const o = { a: 1 }; o.self = o; return o; }
export function Shape() { return [1, 2]; }
export function Missing() { throw new RpcError("NOT_FOUND", "nothing here"); }
export function BadCode() { throw new RpcError("NOPE", "bad code"); }
`

// grpcCodeNames are the names `bridgejs call` prints for the codes used here.
var grpcCodeNames = map[codes.Code]string{
	codes.Internal: "INTERNAL", codes.NotFound: "NOT_FOUND", codes.Unknown: "UNKNOWN",
}

func TestScriptErrorsSameByCallAndHost(t *testing.T) {
	bridgeLauncher(t)
	script := protoPlugin(t, "errs", errsProto, errsScript)
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, []string{"BRIDGE_LOG_LEVEL=debug"}, script)})

	cases := []struct {
		method string
		code   codes.Code
		want   []string // what the message names
		level  string   // of the plugin's log line, as the host shows it
	}{
		{"Nan", codes.Internal, []string{"errs.Errs/Nan", `response["score"]`, "NaN cannot be a google.protobuf.Value number"}, "[ERROR]"},
		{"Cycle", codes.Internal, []string{"errs.Errs/Cycle", `response["self"]`, "a cycle", "same object as response"}, "[ERROR]"},
		{"Shape", codes.Internal, []string{"errs.Errs/Shape", "response: expected a plain object"}, "[ERROR]"},
		{"Missing", codes.NotFound, []string{"nothing here"}, "[DEBUG]"},
		{"BadCode", codes.Unknown, []string{`code "NOPE", which is no gRPC status code`, "NOT_FOUND", "bad code"}, "[ERROR]"},
	}
	for _, c := range cases {
		t.Run(c.method, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
			defer cancel()
			err := p.RPC.Conn.Invoke(ctx, "/errs.Errs/"+c.method, &empty.Empty{}, &structpb.Struct{})
			st, _ := status.FromError(err)
			if err == nil || st.Code() != c.code || !containsAll(st.Message(), c.want) {
				t.Fatalf("through the host: got %v, want %v naming %q", err, c.code, c.want)
			}

			code, stdout, stderr := runCmdline(t, bridgeCmdline(t, nil, "call", script, c.method, "{}"), nil, failFast)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			last := lines[len(lines)-1]
			if want := grpcCodeNames[c.code] + ": " + st.Message(); code != 1 || stdout != "" || last != want {
				t.Errorf("bridgejs call: exit %d, stdout %q, last stderr line %q; want exit 1 and %q\nstderr:\n%s",
					code, stdout, last, want, stderr)
			}

			// exactly one line for the call in the plugin's log, at its level
			marker := "errs.Errs/" + c.method + " failed with " + grpcCodeNames[c.code]
			var found []string
			deadline := time.Now().Add(10 * time.Second)
			for len(found) == 0 && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
				found = nil
				for _, line := range strings.Split(p.Logs.String(), "\n") {
					if strings.Contains(line, "errs.Errs/"+c.method) {
						found = append(found, line)
					}
				}
			}
			time.Sleep(200 * time.Millisecond) // a second line would come right after the first
			found = nil
			for _, line := range strings.Split(p.Logs.String(), "\n") {
				if strings.Contains(line, "errs.Errs/"+c.method) {
					found = append(found, line)
				}
			}
			if len(found) != 1 || !strings.Contains(found[0], marker) || !strings.Contains(found[0], c.level) {
				t.Errorf("plugin log lines naming errs.Errs/%s: %q; want exactly one %s line with %q",
					c.method, found, c.level, marker)
			}
		})
	}
}
