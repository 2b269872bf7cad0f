package e2e

// Metadata and rich errors (issue 12): response headers and trailers a
// handler sets reach the Go host with the answer or the failure, a thrown
// RpcError's details arrive as a google.rpc.Status that
// status.FromError(err).Details() unpacks, and a -bin request header reaches
// the handler as bytes.

import (
	"context"
	goreflect "reflect"
	"strings"
	"testing"

	structpb "github.com/golang/protobuf/ptypes/struct"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

const richProto = `syntax = "proto3";
package rich;
import "google/protobuf/struct.proto";
service Rich {
  rpc Put(google.protobuf.Struct) returns (google.protobuf.Struct);
  rpc Echo(google.protobuf.Struct) returns (google.protobuf.Struct);
  rpc BadDetail(google.protobuf.Struct) returns (google.protobuf.Struct);
}
`

// A KV-like Put that refuses an empty key with a BadRequest, having set a
// header and a trailer first; Echo answers with the -bin header it got.
const richScript = `export function Put(req, ctx) {
  ctx.setHeader("x-served-by", "bridge");
  ctx.setHeader("x-raw-bin", new Uint8Array([0, 1, 254, 255]));
  ctx.setTrailer("x-attempt", "1");
  ctx.setTrailer("x-attempt", "2");
  if (!req.key) {
    throw new RpcError("INVALID_ARGUMENT", "key is required", { details: [
      { "@type": "type.googleapis.com/google.rpc.BadRequest",
        fieldViolations: [{ field: "key", description: "must not be empty" }] },
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "EMPTY_KEY", domain: "kv.example",
        metadata: { store: "main" } },
    ] });
  }
  return { stored: req.key };
}
export function Echo(req, ctx) {
  const got = ctx.metadata["x-token-bin"] ?? [];
  ctx.setTrailer("x-count", String(got.length));
  return { isBytes: got.every((v) => v instanceof Uint8Array), bytes: got.map((v) => Array.from(v)) };
}
export function BadDetail() {
  throw new RpcError("NOT_FOUND", "gone", { details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest",
    fieldViolations: [{ field: "key", nope: 1 }] }] });
}
`

func startRichPlugin(t *testing.T) (*plug, string) {
	bridgeLauncher(t)
	script := protoPlugin(t, "rich", richProto, richScript)
	return startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, script)}), script
}

func TestRichErrorsHeadersAndTrailersReachTheHost(t *testing.T) {
	p, script := startRichPlugin(t)
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
	defer cancel()

	var header, trailer metadata.MD
	empty := keyStruct("")
	err := p.RPC.Conn.Invoke(ctx, "/rich.Rich/Put", empty, &structpb.Struct{}, grpc.Header(&header), grpc.Trailer(&trailer))
	st, _ := status.FromError(err)
	if err == nil || st.Code() != codes.InvalidArgument || st.Message() != "key is required" {
		t.Fatalf("Put {key: \"\"}: got %v, want INVALID_ARGUMENT: key is required", err)
	}
	if got := header.Get("x-served-by"); !goreflect.DeepEqual(got, []string{"bridge"}) {
		t.Errorf("header x-served-by on the failure: %q, want [bridge] (all headers: %v)", got, header)
	}
	if got := header.Get("x-raw-bin"); len(got) != 1 || got[0] != string([]byte{0, 1, 254, 255}) {
		t.Errorf("header x-raw-bin: %q, want the bytes 0 1 254 255", got)
	}
	if got := trailer.Get("x-attempt"); !goreflect.DeepEqual(got, []string{"1", "2"}) {
		t.Errorf("trailer x-attempt: %q, want [1 2] (all trailers: %v)", got, trailer)
	}
	details := st.Details()
	if len(details) != 2 {
		t.Fatalf("status details: %v, want a BadRequest and an ErrorInfo", details)
	}
	bad, ok := details[0].(*errdetails.BadRequest)
	if !ok || len(bad.FieldViolations) != 1 || bad.FieldViolations[0].Field != "key" ||
		bad.FieldViolations[0].Description != "must not be empty" {
		t.Errorf("details[0]: %#v, want a BadRequest for field key", details[0])
	}
	info, ok := details[1].(*errdetails.ErrorInfo)
	if !ok || info.Reason != "EMPTY_KEY" || info.Domain != "kv.example" || info.Metadata["store"] != "main" {
		t.Errorf("details[1]: %#v, want an ErrorInfo EMPTY_KEY", details[1])
	}

	// a success carries them too
	header, trailer = nil, nil
	full := keyStruct("a")
	var resp structpb.Struct
	if err := p.RPC.Conn.Invoke(ctx, "/rich.Rich/Put", full, &resp, grpc.Header(&header), grpc.Trailer(&trailer)); err != nil {
		t.Fatalf("Put {key: a}: %v", err)
	}
	if header.Get("x-served-by")[0] != "bridge" || len(trailer.Get("x-attempt")) != 2 {
		t.Errorf("on success: headers %v, trailers %v", header, trailer)
	}

	// bridgejs call prints them on stderr, the details after the status line
	code, stdout, stderr := runCmdline(t, bridgeCmdline(t, nil, "call", script, "Put", `{"key": ""}`), nil, failFast)
	for _, want := range []string{
		"header x-served-by: bridge\n", "header x-raw-bin: AAH+/w\n",
		"INVALID_ARGUMENT: key is required\ndetail: {\"@type\":\"type.googleapis.com/google.rpc.BadRequest\"," +
			"\"fieldViolations\":[{\"field\":\"key\",\"description\":\"must not be empty\"",
		"trailer x-attempt: 1\ntrailer x-attempt: 2\n",
	} {
		if code != 1 || stdout != "" || !strings.Contains(stderr, want) {
			t.Errorf("bridgejs call: exit %d, stdout %q; stderr lacks %q:\n%s", code, stdout, want, stderr)
		}
	}
}

func TestRichErrorsBinaryRequestHeaderReachesHandler(t *testing.T) {
	p, script := startRichPlugin(t)
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
	defer cancel()
	ctx = metadata.AppendToOutgoingContext(ctx, "x-token-bin", string([]byte{7, 0, 200}))
	var resp structpb.Struct
	var trailer metadata.MD
	if err := p.RPC.Conn.Invoke(ctx, "/rich.Rich/Echo", &structpb.Struct{}, &resp, grpc.Trailer(&trailer)); err != nil {
		t.Fatalf("Echo: %v", err)
	}
	isBytes := resp.Fields["isBytes"].GetBoolValue()
	var got []float64
	if lists := resp.Fields["bytes"].GetListValue().GetValues(); len(lists) == 1 {
		for _, v := range lists[0].GetListValue().GetValues() {
			got = append(got, v.GetNumberValue())
		}
	}
	if !isBytes || !goreflect.DeepEqual(got, []float64{7, 0, 200}) {
		t.Errorf("Echo with x-token-bin 07 00 c8: %v, want isBytes and bytes [[7 0 200]]", &resp)
	}

	code, stdout, stderr := runCmdline(t, bridgeCmdline(t, nil, "call", "-H", "x-token-bin=BwDI", script, "Echo", "{}"),
		nil, failFast)
	if code != 0 || !strings.Contains(stdout, "200") || !strings.Contains(stderr, "trailer x-count: 1") {
		t.Errorf("bridgejs call -H x-token-bin=BwDI: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

func TestRichErrorsBadDetailIsInternalNamingIt(t *testing.T) {
	p, _ := startRichPlugin(t)
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
	defer cancel()
	err := p.RPC.Conn.Invoke(ctx, "/rich.Rich/BadDetail", &structpb.Struct{}, &structpb.Struct{})
	st, _ := status.FromError(err)
	if st.Code() != codes.Internal || !containsAll(st.Message(), []string{"rich.Rich/BadDetail", "details[0].fieldViolations[0]", "nope"}) {
		t.Errorf("BadDetail: %v, want INTERNAL naming details[0].fieldViolations[0] and nope", err)
	}
}

func keyStruct(key string) *structpb.Struct {
	return &structpb.Struct{Fields: map[string]*structpb.Value{"key": {Kind: &structpb.Value_StringValue{StringValue: key}}}}
}
