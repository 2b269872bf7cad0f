// Command goplugin-kv is a native Go go-plugin that serves the same KV
// service, handshake and behaviour as the bridge running scripts/kv.js:
// Put writes the value followed by "\n\nWritten from plugin-go" to the file
// kv_<key> in the working directory (replacing the file whole, so that
// concurrent Gets see the old or the new value, never a part of one), Get
// returns that file's bytes, and a missing key is a gRPC NOT_FOUND error. It
// is the reference the end-to-end suite is validated against and the native
// peer in benchmarks.
package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"bridge/host/kvrpc"
)

// Suffix is appended to every stored value.
const Suffix = "\n\nWritten from plugin-go"

type store struct {
	log hclog.Logger
}

func fileName(key string) (string, error) {
	if key == "" || strings.ContainsAny(key, "/\x00") {
		return "", status.Errorf(codes.InvalidArgument, "invalid key %q", key)
	}
	return "kv_" + key, nil
}

func (s *store) Put(_ context.Context, req *kvrpc.PutRequest) (*kvrpc.Empty, error) {
	name, err := fileName(req.Key)
	if err != nil {
		return nil, err
	}
	data := make([]byte, 0, len(req.Value)+len(Suffix))
	data = append(append(data, req.Value...), Suffix...)
	if err := replaceFile(name, data); err != nil {
		return nil, status.Errorf(codes.Internal, "put %q: %v", req.Key, err)
	}
	s.log.Debug("put", "key", req.Key, "bytes", len(req.Value))
	return &kvrpc.Empty{}, nil
}

// replaceFile gives name its new content in one step: written beside it,
// then renamed over it. Writing the file in place would let a concurrent Get
// read it truncated or half written.
func replaceFile(name string, data []byte) error {
	tmp, err := os.CreateTemp(".", ".put-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

func (s *store) Get(_ context.Context, req *kvrpc.GetRequest) (*kvrpc.GetResponse, error) {
	name, err := fileName(req.Key)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, status.Errorf(codes.NotFound, "key %q not found", req.Key)
	}
	if err != nil {
		return nil, status.Errorf(codes.Internal, "get %q: %v", req.Key, err)
	}
	s.log.Debug("get", "key", req.Key, "bytes", len(data))
	return &kvrpc.GetResponse{Value: data}, nil
}

func main() {
	// Every call is logged at debug by default; GOPLUGIN_KV_LOG_LEVEL=info
	// keeps a benchmark from timing those log lines (the bridge's kv.js
	// logs nothing per call).
	level := hclog.LevelFromString(os.Getenv("GOPLUGIN_KV_LOG_LEVEL"))
	if level == hclog.NoLevel {
		level = hclog.Trace
	}
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       "goplugin-kv",
		Level:      level,
		Output:     os.Stderr,
		JSONFormat: true,
	})
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: kvrpc.Handshake,
		Plugins:         kvrpc.PluginMap(&store{log: logger}),
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger:          logger,
	})
}
