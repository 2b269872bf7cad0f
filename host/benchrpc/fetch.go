package benchrpc

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"google.golang.org/grpc"
)

// FetchRequest names the JSON document Fetch GETs.
type FetchRequest struct {
	Url string `protobuf:"bytes,1,opt,name=url,proto3" json:"url,omitempty"`
}

func (m *FetchRequest) Reset()         { *m = FetchRequest{} }
func (m *FetchRequest) String() string { return fmt.Sprintf("FetchRequest{url:%q}", m.Url) }
func (*FetchRequest) ProtoMessage()    {}

// FetchReply is the fetched document's "name".
type FetchReply struct {
	Name string `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
}

func (m *FetchReply) Reset()         { *m = FetchReply{} }
func (m *FetchReply) String() string { return fmt.Sprintf("FetchReply{name:%q}", m.Name) }
func (*FetchReply) ProtoMessage()    {}

// Fetch asks the plugin to fetch url and returns the name it read there.
func (c *Client) Fetch(ctx context.Context, url string) (string, error) {
	resp := new(FetchReply)
	if err := c.Conn.Invoke(ctx, MethodFetch, &FetchRequest{Url: url}, resp); err != nil {
		return "", err
	}
	return resp.Name, nil
}

// FetchName is the Go peer's Fetch: GET url with client, decode the JSON
// document, return its "name".
func FetchName(ctx context.Context, client *http.Client, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return "", fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	var doc struct{ Name string }
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return "", fmt.Errorf("GET %s: %v", url, err)
	}
	return doc.Name, nil
}

func fetchHandler(srv interface{}, ctx context.Context, dec func(interface{}) error, icpt grpc.UnaryServerInterceptor) (interface{}, error) {
	req := new(FetchRequest)
	if err := dec(req); err != nil {
		return nil, err
	}
	if icpt == nil {
		return srv.(Server).Fetch(ctx, req)
	}
	info := &grpc.UnaryServerInfo{Server: srv, FullMethod: MethodFetch}
	return icpt(ctx, req, info, func(ctx context.Context, r interface{}) (interface{}, error) {
		return srv.(Server).Fetch(ctx, r.(*FetchRequest))
	})
}
