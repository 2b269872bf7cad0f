package notifyrpc

import "github.com/hashicorp/go-plugin"

// Handshake is the handshake of scripts/notify.plugin.json.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "NOTIFY_PLUGIN",
	MagicCookieValue: "webhook",
}
