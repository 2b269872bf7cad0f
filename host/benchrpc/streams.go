package benchrpc

import (
	"context"

	"google.golang.org/grpc"
)

// The streaming methods' client and server sides, written as protoc-gen-go-grpc would generate them.

// StreamClient receives the items of one Stream call.
type StreamClient interface {
	Recv() (*Item, error)
	grpc.ClientStream
}

// EchoClient sends and receives the items of one Echo call.
type EchoClient interface {
	Send(*Item) error
	Recv() (*Item, error)
	grpc.ClientStream
}

// StreamServer is the server side of one Stream call.
type StreamServer interface {
	Send(*Item) error
	grpc.ServerStream
}

// EchoServer is the server side of one Echo call.
type EchoServer interface {
	Send(*Item) error
	Recv() (*Item, error)
	grpc.ServerStream
}

// Stream starts a Stream call for req; read it with Recv until io.EOF.
func (c *Client) Stream(ctx context.Context, req *StreamRequest) (StreamClient, error) {
	s, err := c.Conn.NewStream(ctx, &serviceDesc.Streams[0], MethodStream)
	if err != nil {
		return nil, err
	}
	x := &itemStream{ClientStream: s}
	if err := s.SendMsg(req); err != nil {
		return nil, err
	}
	if err := s.CloseSend(); err != nil {
		return nil, err
	}
	return x, nil
}

// Echo starts an Echo call.
func (c *Client) Echo(ctx context.Context) (EchoClient, error) {
	s, err := c.Conn.NewStream(ctx, &serviceDesc.Streams[1], MethodEcho)
	if err != nil {
		return nil, err
	}
	return &itemStream{ClientStream: s}, nil
}

type itemStream struct{ grpc.ClientStream }

func (x *itemStream) Send(m *Item) error { return x.ClientStream.SendMsg(m) }

func (x *itemStream) Recv() (*Item, error) {
	m := new(Item)
	if err := x.ClientStream.RecvMsg(m); err != nil {
		return nil, err
	}
	return m, nil
}

type itemServerStream struct{ grpc.ServerStream }

func (x *itemServerStream) Send(m *Item) error { return x.ServerStream.SendMsg(m) }

func (x *itemServerStream) Recv() (*Item, error) {
	m := new(Item)
	if err := x.ServerStream.RecvMsg(m); err != nil {
		return nil, err
	}
	return m, nil
}

func streamHandler(srv interface{}, stream grpc.ServerStream) error {
	req := new(StreamRequest)
	if err := stream.RecvMsg(req); err != nil {
		return err
	}
	return srv.(Server).Stream(req, &itemServerStream{stream})
}

func echoHandler(srv interface{}, stream grpc.ServerStream) error {
	return srv.(Server).Echo(&itemServerStream{stream})
}
