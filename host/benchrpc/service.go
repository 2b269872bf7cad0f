package benchrpc

import (
	"context"

	"google.golang.org/grpc"
)

// Fully qualified gRPC names of the Bench service (proto package "bench").
const (
	ServiceName     = "bench.Bench"
	MethodTransform = "/bench.Bench/Transform"
	MethodStream    = "/bench.Bench/Stream"
	MethodEcho      = "/bench.Bench/Echo"
	MethodFetch     = "/bench.Bench/Fetch"
)

// Client calls the Bench service over an existing gRPC connection.
type Client struct {
	Conn *grpc.ClientConn
}

// NewClient wraps conn.
func NewClient(conn *grpc.ClientConn) *Client { return &Client{Conn: conn} }

// Transform sends doc and returns the transformed document.
func (c *Client) Transform(ctx context.Context, doc string) (string, error) {
	resp := new(Doc)
	if err := c.Conn.Invoke(ctx, MethodTransform, &Doc{Json: doc}, resp); err != nil {
		return "", err
	}
	return resp.Json, nil
}

// Server is what a Bench implementation provides.
type Server interface {
	Transform(ctx context.Context, req *Doc) (*Doc, error)
	// Stream sends req.Count items on stream (server streaming).
	Stream(req *StreamRequest, stream StreamServer) error
	// Echo answers every item received with an equal one (bidi).
	Echo(stream EchoServer) error
	// Fetch GETs the JSON document at req.Url and answers with its "name".
	Fetch(ctx context.Context, req *FetchRequest) (*FetchReply, error)
}

// RegisterServer registers impl as the bench.Bench service on s.
func RegisterServer(s *grpc.Server, impl Server) {
	s.RegisterService(&serviceDesc, impl)
}

var serviceDesc = grpc.ServiceDesc{
	ServiceName: ServiceName,
	HandlerType: (*Server)(nil),
	Methods: []grpc.MethodDesc{
		{MethodName: "Transform", Handler: transformHandler},
		{MethodName: "Fetch", Handler: fetchHandler},
	},
	Streams: []grpc.StreamDesc{
		{StreamName: "Stream", Handler: streamHandler, ServerStreams: true},
		{StreamName: "Echo", Handler: echoHandler, ServerStreams: true, ClientStreams: true},
	},
	Metadata: "bench.proto",
}

func transformHandler(srv interface{}, ctx context.Context, dec func(interface{}) error, icpt grpc.UnaryServerInterceptor) (interface{}, error) {
	req := new(Doc)
	if err := dec(req); err != nil {
		return nil, err
	}
	if icpt == nil {
		return srv.(Server).Transform(ctx, req)
	}
	info := &grpc.UnaryServerInfo{Server: srv, FullMethod: MethodTransform}
	return icpt(ctx, req, info, func(ctx context.Context, r interface{}) (interface{}, error) {
		return srv.(Server).Transform(ctx, r.(*Doc))
	})
}
