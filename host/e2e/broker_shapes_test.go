package e2e

// Every call shape through go-plugin 1.0.1's broker, both ways: the host
// offers an e2e.Shapes service (unary, server, client and bidi streaming) with
// AcceptAndServe and the script calls each method of the client broker.dial
// gives it; the script serves e2e.Shapes with broker.serve and the host calls
// each method on what broker.Dial gives it. Both implementations answer alike,
// so each direction must read "ABC|a,b,c|x+y|<1>,<2>,<3>". The plugin serves
// proto.KV; its Get takes "dial:<id>" or "serve". (callback_test.go runs the
// example; this covers every shape of a service the script serves too.)

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/golang/protobuf/ptypes/wrappers"
	"google.golang.org/grpc"
)

const shapesProto = `syntax = "proto3";
package e2e;
import "google/protobuf/wrappers.proto";
service Shapes {
  rpc Upper(google.protobuf.StringValue) returns (google.protobuf.StringValue);
  rpc Split(google.protobuf.StringValue) returns (stream google.protobuf.StringValue);
  rpc Join(stream google.protobuf.StringValue) returns (google.protobuf.StringValue);
  rpc Echo(stream google.protobuf.StringValue) returns (stream google.protobuf.StringValue);
}
`

const shapesScript = `
const text = (s) => new TextEncoder().encode(s);

// A StringValue request or response is the string itself.
const shapes = {
  Upper(s) { return s.toUpperCase(); },
  async *Split(s) { for (const part of s.split(" ")) yield part; },
  async Join(requests) { const parts = []; for await (const s of requests) parts.push(s); return parts.join("+"); },
  async *Echo(requests) { for await (const s of requests) yield "<" + s + ">"; },
};

export async function Get({ key }, context) {
  const [verb, arg] = key.split(":");
  if (verb === "dial") {
    const s = await broker.dial(Number(arg), "e2e.Shapes");
    const options = { signal: context.signal, timeout: 10000 };
    const up = await s.Upper("abc", options);
    const parts = [];
    for await (const part of s.Split("a b c", options)) parts.push(part);
    const joined = await s.Join((async function* () { yield "x"; yield "y"; })(), options);
    const echoed = [];
    for await (const e of s.Echo(["1", "2", "3"], options)) echoed.push(e);
    return { value: text([up, parts.join(","), joined, echoed.join(",")].join("|")) };
  }
  if (verb === "serve") {
    return { value: text(String(await broker.serve("e2e.Shapes", shapes))) };
  }
  throw new RpcError("INVALID_ARGUMENT", "unknown command " + key);
}

export function Put() {
  return {};
}
`

const shapesAnswer = "ABC|a,b,c|x+y|<1>,<2>,<3>"

func stringValue(s string) *wrappers.StringValue { return &wrappers.StringValue{Value: s} }

// hostShapes is e2e.Shapes as the host serves it through the broker.
var hostShapes = grpc.ServiceDesc{
	ServiceName: "e2e.Shapes",
	HandlerType: (*interface{})(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Upper",
		Handler: func(_ interface{}, _ context.Context, dec func(interface{}) error, _ grpc.UnaryServerInterceptor) (interface{}, error) {
			in := new(wrappers.StringValue)
			if err := dec(in); err != nil {
				return nil, err
			}
			return stringValue(strings.ToUpper(in.Value)), nil
		},
	}},
	Streams: []grpc.StreamDesc{
		{StreamName: "Split", ServerStreams: true, Handler: func(_ interface{}, stream grpc.ServerStream) error {
			in := new(wrappers.StringValue)
			if err := stream.RecvMsg(in); err != nil {
				return err
			}
			for _, part := range strings.Split(in.Value, " ") {
				if err := stream.SendMsg(stringValue(part)); err != nil {
					return err
				}
			}
			return nil
		}},
		{StreamName: "Join", ClientStreams: true, Handler: func(_ interface{}, stream grpc.ServerStream) error {
			parts, err := receiveAll(stream.RecvMsg)
			if err != nil {
				return err
			}
			return stream.SendMsg(stringValue(strings.Join(parts, "+")))
		}},
		{StreamName: "Echo", ServerStreams: true, ClientStreams: true, Handler: func(_ interface{}, stream grpc.ServerStream) error {
			for {
				in := new(wrappers.StringValue)
				if err := stream.RecvMsg(in); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				if err := stream.SendMsg(stringValue("<" + in.Value + ">")); err != nil {
					return err
				}
			}
		}},
	},
}

// receiveAll reads StringValues until the end of the stream.
func receiveAll(recv func(interface{}) error) ([]string, error) {
	var values []string
	for {
		in := new(wrappers.StringValue)
		if err := recv(in); err == io.EOF {
			return values, nil
		} else if err != nil {
			return values, err
		}
		values = append(values, in.Value)
	}
}

// callShapes calls each method of e2e.Shapes on conn, as the script does.
func callShapes(ctx context.Context, conn *grpc.ClientConn) (string, error) {
	up := new(wrappers.StringValue)
	if err := conn.Invoke(ctx, "/e2e.Shapes/Upper", stringValue("abc"), up); err != nil {
		return "", fmt.Errorf("Upper: %v", err)
	}
	stream := func(method string, desc grpc.StreamDesc, requests ...string) ([]string, error) {
		st, err := conn.NewStream(ctx, &desc, "/e2e.Shapes/"+method)
		if err != nil {
			return nil, err
		}
		for _, r := range requests {
			if err := st.SendMsg(stringValue(r)); err != nil {
				return nil, err
			}
		}
		if err := st.CloseSend(); err != nil {
			return nil, err
		}
		return receiveAll(st.RecvMsg)
	}
	parts, err := stream("Split", grpc.StreamDesc{ServerStreams: true}, "a b c")
	if err != nil {
		return "", fmt.Errorf("Split: %v", err)
	}
	joined, err := stream("Join", grpc.StreamDesc{ClientStreams: true}, "x", "y")
	if err != nil || len(joined) != 1 {
		return "", fmt.Errorf("Join: %v %v", joined, err)
	}
	echoed, err := stream("Echo", grpc.StreamDesc{ClientStreams: true, ServerStreams: true}, "1", "2", "3")
	if err != nil {
		return "", fmt.Errorf("Echo: %v", err)
	}
	return strings.Join([]string{up.Value, strings.Join(parts, ","), joined[0], strings.Join(echoed, ",")}, "|"), nil
}

func startShapesPlugin(t *testing.T, autoMTLS bool) *brokerPlug {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "shapes.proto"), shapesProto)
	writeFile(t, filepath.Join(dir, "shapes.plugin.json"), manifestJSON(t, map[string]interface{}{
		"proto":    []string{kvProto(t), "shapes.proto"},
		"services": []string{"proto.KV"},
	}))
	return startBrokerPluginScript(t, autoMTLS, 0, 0, writeFile(t, filepath.Join(dir, "shapes.js"), shapesScript))
}

func testBrokerEveryShape(t *testing.T, autoMTLS bool) {
	p := startShapesPlugin(t, autoMTLS)

	id := p.conn.Broker.NextId()
	go p.conn.Broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		s.RegisterService(&hostShapes, struct{}{})
		return s
	})
	if got := p.mustGet(fmt.Sprintf("dial:%d", id)); got != shapesAnswer {
		t.Errorf("the script's calls of the host's Shapes: got %q, want %q", got, shapesAnswer)
	}

	idText := p.mustGet("serve")
	served, err := strconv.ParseUint(idText, 10, 32)
	if err != nil {
		t.Fatalf("serve: the script answered %q, not an id", idText)
	}
	conn, err := p.conn.Broker.Dial(uint32(served))
	if err != nil {
		t.Fatalf("the host's broker.Dial(%d): %v", served, err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
	defer cancel()
	got, err := callShapes(ctx, conn)
	if err != nil || got != shapesAnswer {
		t.Errorf("the host's calls of the script's Shapes (id %d): got %q, %v; want %q", served, got, err, shapesAnswer)
	}
}

func TestBrokerEveryShape(t *testing.T)         { testBrokerEveryShape(t, false) }
func TestBrokerEveryShapeAutoMTLS(t *testing.T) { testBrokerEveryShape(t, true) }
