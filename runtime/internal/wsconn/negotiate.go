package wsconn

import (
	"strconv"
	"strings"
)

// DeflateResponse is the Sec-WebSocket-Extensions answer to an offer of
// permessage-deflate that kk accepts: neither side keeps its LZ77 window
// between messages, so an idle connection holds no compression state.
// RFC 7692 section 7.1.1 lets a server ask both of any client.
const DeflateResponse = "permessage-deflate; server_no_context_takeover; client_no_context_takeover"

// AcceptDeflate reports whether one of the offers in the request's
// Sec-WebSocket-Extensions values is a permessage-deflate offer kk can
// honour (RFC 7692 section 5): every parameter known and present at most
// once, each with a valid value, and no server_max_window_bits below 15
// (kk's compressor uses the full 32 KiB window). An offer that fails is
// declined and the next one considered, as section 5.1 has it.
func AcceptDeflate(values []string) bool {
	for _, v := range values {
		for _, offer := range splitQuoted(v, ',') {
			if deflateOfferOK(offer) {
				return true
			}
		}
	}
	return false
}

func deflateOfferOK(offer string) bool {
	params := splitQuoted(offer, ';')
	if len(params) == 0 || !strings.EqualFold(strings.TrimSpace(params[0]), "permessage-deflate") {
		return false
	}
	seen := map[string]bool{}
	for _, p := range params[1:] {
		name, value, hasValue := strings.Cut(strings.TrimSpace(p), "=")
		name = strings.ToLower(strings.TrimSpace(name))
		value = strings.TrimSpace(value)
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1] // section 7.1: a quoted value is its unquoted self
		}
		if seen[name] {
			return false // section 7: a parameter twice declines the offer
		}
		seen[name] = true
		switch name {
		case "server_no_context_takeover", "client_no_context_takeover":
			if hasValue {
				return false
			}
		case "server_max_window_bits":
			if bits, ok := windowBits(value); !hasValue || !ok || bits < 15 {
				return false // kk cannot hold its window below 32 KiB: decline
			}
		case "client_max_window_bits":
			if _, ok := windowBits(value); hasValue && !ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// windowBits parses a window size: a decimal 8 to 15, no leading zero.
func windowBits(v string) (int, bool) {
	if v == "" || v[0] == '0' || len(v) > 2 {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 8 && n <= 15
}

// splitQuoted splits s at sep outside double quotes, trimming each part
// and dropping empty ones.
func splitQuoted(s string, sep byte) []string {
	var parts []string
	start, quoted := 0, false
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] == '"' {
			quoted = !quoted
		}
		if i == len(s) || (s[i] == sep && !quoted) {
			if p := strings.TrimSpace(s[start:i]); p != "" {
				parts = append(parts, p)
			}
			start = i + 1
		}
	}
	return parts
}
