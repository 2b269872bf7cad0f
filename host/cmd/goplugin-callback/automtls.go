package main

import (
	"crypto/tls"
	"reflect"
	"unsafe"

	"github.com/hashicorp/go-plugin"
)

// dialableUnderAutoMTLS lets go-plugin v1.0.1's plugin side dial what the
// host offers under AutoMTLS, as later go-plugin does itself. v1.0.1's
// broker dials with the plugin's server TLS config, which trusts no server
// (no RootCAs) and names none (gRPC then checks the certificate against
// "unused"): every dial fails with "certificate is valid for localhost, not
// unused". The config is only reachable through the broker's unexported
// field; it is set before the server serves (GRPCServer runs first), so no
// handshake sees it change. The host's certificate is the one the config
// trusts for clients.
func dialableUnderAutoMTLS(broker *plugin.GRPCBroker) {
	field := reflect.ValueOf(broker).Elem().FieldByName("tls")
	if !field.IsValid() || field.Type() != reflect.TypeOf((*tls.Config)(nil)) || field.IsNil() {
		return // not v1.0.1's layout, or no TLS
	}
	config := (*tls.Config)(unsafe.Pointer(field.Pointer()))
	if config.RootCAs == nil {
		config.RootCAs = config.ClientCAs
	}
	if config.ServerName == "" {
		config.ServerName = "localhost"
	}
}
