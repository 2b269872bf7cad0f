package kvrpc

import (
	"context"

	"google.golang.org/grpc"
)

// Fully qualified gRPC names of the KV service (proto package "proto").
const (
	ServiceName = "proto.KV"
	MethodGet   = "/proto.KV/Get"
	MethodPut   = "/proto.KV/Put"
)

// Client calls the KV service over an existing gRPC connection.
type Client struct {
	Conn *grpc.ClientConn
}

// NewClient wraps conn.
func NewClient(conn *grpc.ClientConn) *Client { return &Client{Conn: conn} }

// Get returns the value stored under key.
func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {
	resp := new(GetResponse)
	if err := c.Conn.Invoke(ctx, MethodGet, &GetRequest{Key: key}, resp); err != nil {
		return nil, err
	}
	return resp.Value, nil
}

// Put stores value under key.
func (c *Client) Put(ctx context.Context, key string, value []byte) error {
	return c.Conn.Invoke(ctx, MethodPut, &PutRequest{Key: key, Value: value}, new(Empty))
}

// Server is what a KV implementation provides.
type Server interface {
	Get(ctx context.Context, req *GetRequest) (*GetResponse, error)
	Put(ctx context.Context, req *PutRequest) (*Empty, error)
}

// RegisterServer registers impl as the proto.KV service on s.
func RegisterServer(s *grpc.Server, impl Server) {
	s.RegisterService(&serviceDesc, impl)
}

var serviceDesc = grpc.ServiceDesc{
	ServiceName: ServiceName,
	HandlerType: (*Server)(nil),
	Methods: []grpc.MethodDesc{
		{MethodName: "Get", Handler: getHandler},
		{MethodName: "Put", Handler: putHandler},
	},
	Streams:  []grpc.StreamDesc{},
	Metadata: "kv.proto",
}

func getHandler(srv interface{}, ctx context.Context, dec func(interface{}) error, icpt grpc.UnaryServerInterceptor) (interface{}, error) {
	req := new(GetRequest)
	if err := dec(req); err != nil {
		return nil, err
	}
	if icpt == nil {
		return srv.(Server).Get(ctx, req)
	}
	info := &grpc.UnaryServerInfo{Server: srv, FullMethod: MethodGet}
	return icpt(ctx, req, info, func(ctx context.Context, r interface{}) (interface{}, error) {
		return srv.(Server).Get(ctx, r.(*GetRequest))
	})
}

func putHandler(srv interface{}, ctx context.Context, dec func(interface{}) error, icpt grpc.UnaryServerInterceptor) (interface{}, error) {
	req := new(PutRequest)
	if err := dec(req); err != nil {
		return nil, err
	}
	if icpt == nil {
		return srv.(Server).Put(ctx, req)
	}
	info := &grpc.UnaryServerInfo{Server: srv, FullMethod: MethodPut}
	return icpt(ctx, req, info, func(ctx context.Context, r interface{}) (interface{}, error) {
		return srv.(Server).Put(ctx, r.(*PutRequest))
	})
}
