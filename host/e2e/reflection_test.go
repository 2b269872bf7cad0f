package e2e

// gRPC server reflection over the plugin's own connection, as a reflection
// client of the host would use it: v1alpha, what grpc-go 1.33 speaks, and v1,
// both of which Go plugins of a current go-plugin serve (v1.0.1's, this
// suite's native plugin, serve none: these tests are the bridge's).

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/golang/protobuf/proto"
	descpb "github.com/golang/protobuf/protoc-gen-go/descriptor"
	"google.golang.org/grpc"
	rpb "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
)

// reflect asks one question on a new reflection stream of method (the v1alpha
// and v1 messages are the same on the wire).
func reflect(t *testing.T, p *plug, method string, req *rpb.ServerReflectionRequest) *rpb.ServerReflectionResponse {
	t.Helper()
	ctx, cancel := p.ctx()
	defer cancel()
	stream, err := p.RPC.Conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, method)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	if err := stream.SendMsg(req); err != nil {
		t.Fatalf("%s: send: %v", method, err)
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatalf("%s: close send: %v", method, err)
	}
	resp := &rpb.ServerReflectionResponse{}
	if err := stream.RecvMsg(resp); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return resp
}

func listServices(t *testing.T, p *plug, method string) []string {
	t.Helper()
	resp := reflect(t, p, method, &rpb.ServerReflectionRequest{
		MessageRequest: &rpb.ServerReflectionRequest_ListServices{ListServices: ""}})
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	sort.Strings(names)
	return names
}

func checkLists(t *testing.T, names []string, want ...string) {
	t.Helper()
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	for _, w := range want {
		if !have[w] {
			t.Errorf("reflection lists %q, without %s", names, w)
		}
	}
}

// checkDescribesKV asks for the file defining proto.KV and checks its methods.
func checkDescribesKV(t *testing.T, p *plug, method string) {
	t.Helper()
	resp := reflect(t, p, method, &rpb.ServerReflectionRequest{
		MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{FileContainingSymbol: "proto.KV"}})
	files := resp.GetFileDescriptorResponse().GetFileDescriptorProto()
	if len(files) == 0 {
		t.Fatalf("%s: no file describes proto.KV: %v", method, resp)
	}
	file := &descpb.FileDescriptorProto{}
	if err := proto.Unmarshal(files[0], file); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	var methods []string
	for _, s := range file.GetService() {
		if s.GetName() == "KV" {
			for _, m := range s.GetMethod() {
				methods = append(methods, m.GetName())
			}
		}
	}
	sort.Strings(methods)
	if strings.Join(methods, ",") != "Get,Put" {
		t.Errorf("%s: proto.KV's methods: got %q, want Get and Put", method, methods)
	}
}

// What a current go-plugin's Go plugin serves besides its own services.
var goPluginServices = []string{"proto.KV", "grpc.health.v1.Health", "plugin.GRPCBroker", "plugin.GRPCController",
	"grpc.reflection.v1alpha.ServerReflection"}

const (
	reflectionV1alpha = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"
	reflectionV1      = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"
)

func TestReflectionV1alpha(t *testing.T) {
	bridgeLauncher(t)
	p := startPlugin(t, startOpts{})
	// Through the generated v1alpha client, as a grpc-go 1.33 tool would call it.
	ctx, cancel := p.ctx()
	defer cancel()
	stream, err := rpb.NewServerReflectionClient(p.RPC.Conn).ServerReflectionInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&rpb.ServerReflectionRequest{
		MessageRequest: &rpb.ServerReflectionRequest_ListServices{ListServices: ""}}); err != nil {
		t.Fatal(err)
	}
	resp, err := stream.Recv()
	if err != nil {
		t.Fatalf("v1alpha reflection: %v", err)
	}
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	checkLists(t, names, goPluginServices...)
	checkDescribesKV(t, p, reflectionV1alpha)
}

func TestReflectionV1(t *testing.T) {
	bridgeLauncher(t)
	p := startPlugin(t, startOpts{})
	checkLists(t, listServices(t, p, reflectionV1),
		append([]string{"grpc.reflection.v1.ServerReflection", "plugin.GRPCStdio"}, goPluginServices...)...)
	checkDescribesKV(t, p, reflectionV1)
}

// TestReflectionFollowsADevReload: a service added to the .proto in dev mode
// is listed by both versions once the plugin reloaded.
func TestReflectionFollowsADevReload(t *testing.T) {
	bridgeLauncher(t)
	dir := t.TempDir()
	kvSource, err := os.ReadFile(kvProto(t))
	if err != nil {
		t.Fatal(err)
	}
	protoFile := writeFile(t, filepath.Join(dir, "kv.proto"), string(kvSource))
	writeFile(t, filepath.Join(dir, "kv.plugin.json"), manifestJSON(t, map[string]interface{}{"proto": []string{"kv.proto"}}))
	p := startDev(t, writeFile(t, filepath.Join(dir, "kv.js"), kvScript("", "")))
	for _, method := range []string{reflectionV1alpha, reflectionV1} {
		if names := listServices(t, p, method); strings.Contains(strings.Join(names, " "), "proto.Extra") {
			t.Fatalf("%s lists proto.Extra before it is defined: %q", method, names)
		}
	}

	saveInPlace(t, protoFile, string(kvSource)+"\nservice Extra {\n  rpc Ping(Empty) returns (Empty);\n}\n")
	for _, method := range []string{reflectionV1alpha, reflectionV1} {
		deadline := time.Now().Add(reloadGuard)
		for {
			names := listServices(t, p, method)
			if strings.Contains(strings.Join(names, " "), "proto.Extra") {
				checkLists(t, names, append([]string{"proto.Extra"}, goPluginServices...)...)
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%v after the edit, %s still lists %q, without proto.Extra", reloadGuard, method, names)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}
