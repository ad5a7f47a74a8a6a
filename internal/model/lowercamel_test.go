package model

import "testing"

// TestLowerCamel: the receiver parameters of NewRouter and the clients'
// names, spelled by one rule.
func TestLowerCamel(t *testing.T) {
	for in, want := range map[string]string{"GetUser": "getUser", "ID": "id", "HTTPServer": "httpServer", "Get": "get", "get": "get", "X": "x",
		"URLs": "urls", "APIKeys": "apiKeys", "Todos": "todos", "Users": "users", "HTTPClient": "httpClient", "HTTP2": "http2", "IDs": "ids"} {
		if got := LowerCamel(in); got != want {
			t.Errorf("LowerCamel(%q) = %q, want %q", in, got, want)
		}
	}
}
