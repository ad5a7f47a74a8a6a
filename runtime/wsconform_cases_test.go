package kk_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// The cases of the conformance suite, by Autobahn section:
//
//	1  framing: text and binary messages of every length class
//	2  pings and pongs
//	3  reserved bits
//	4  reserved opcodes
//	5  fragmentation
//	6  UTF-8 handling (whole, fragmented, fail-fast, after inflation)
//	7  the closing handshake and close codes
//	9  limits: large messages, many fragments, many messages
//	10 automatic fragmentation
//	12 permessage-deflate messages
//	13 permessage-deflate negotiation
func conformanceCases() []confCase {
	var cs []confCase
	for _, f := range []func() []confCase{framingCases, pingCases, rsvCases, opcodeCases, fragmentCases, utf8Cases, closeCases, limitCases, autoFragmentCases, deflateCases, negotiationCases} {
		cs = append(cs, f()...)
	}
	return cs
}

// echoes is a case that must pass: the script runs, the client closes
// with 1000, and the server answers 1000 and ends the connection.
func echoes(id, desc string, run func(c *confClient)) confCase {
	return confCase{id: id, desc: desc, run: func(c *confClient) { run(c); c.sendClose(1000, "") }, close: []int{1000}, end: true}
}

// fails is a case in which the server must close with code, having sent
// whatever the script expects first, and end the connection once the
// client's close arrives.
func fails(id, desc string, code int, run func(c *confClient)) confCase {
	return confCase{id: id, desc: desc, run: run, close: []int{code}, end: true}
}

func repeatTo(pattern string, n int) []byte {
	b := bytes.Repeat([]byte(pattern), n/len(pattern)+1)[:n]
	for !utf8.Valid(b) { // cut inside a rune: pad the tail with ASCII
		i := len(b) - 1
		for i > 0 && !utf8.RuneStart(b[i]) {
			i--
		}
		for j := i; j < len(b); j++ {
			b[j] = '*'
		}
	}
	return b
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// Section 1.
func framingCases() []confCase {
	var cs []confCase
	sizes := []int{0, 125, 126, 127, 128, 65535, 65536}
	for i, n := range sizes {
		p := repeatTo("*", n)
		cs = append(cs, echoes(fmt.Sprintf("1.1.%d", i+1), fmt.Sprintf("text message of %d bytes", n), func(c *confClient) {
			c.send(text(string(p)))
			c.expectText(string(p))
		}))
	}
	p := repeatTo("*", 65536)
	cs = append(cs, echoes("1.1.8", "text message of 65536 bytes in chops of 997", func(c *confClient) {
		c.sendChopped(text(string(p)), 997)
		c.expectText(string(p))
	}))
	for i, n := range sizes {
		p := bytes.Repeat([]byte{0xfe}, n)
		cs = append(cs, echoes(fmt.Sprintf("1.2.%d", i+1), fmt.Sprintf("binary message of %d bytes", n), func(c *confClient) {
			c.send(binary_(p))
			c.expectBinary(p)
		}))
	}
	pb := bytes.Repeat([]byte{0xfe}, 65536)
	cs = append(cs, echoes("1.2.8", "binary message of 65536 bytes in chops of 997", func(c *confClient) {
		c.sendChopped(binary_(pb), 997)
		c.expectBinary(pb)
	}))
	cs = append(cs,
		fails("1.3.1", "64-bit length with the most significant bit set", 1002, func(c *confClient) {
			c.send([]byte{0x82, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1}, confMask[:])
		}),
		fails("1.3.2", "unmasked client frame", 1002, func(c *confClient) {
			c.send([]byte{0x81, 0x02, 'h', 'i'})
		}),
		fails("1.3.3", "unmasked ping", 1002, func(c *confClient) {
			c.send([]byte{0x89, 0x00})
		}),
	)
	return cs
}

// Section 2.
func pingCases() []confCase {
	p125 := bytes.Repeat([]byte{0xfe}, 125)
	return []confCase{
		echoes("2.1", "ping without payload", func(c *confClient) {
			c.send(frame(true, 0, opPing, nil))
			c.expectPong(nil)
		}),
		echoes("2.2", "ping with a small text payload", func(c *confClient) {
			c.send(frame(true, 0, opPing, []byte("Hello, world!")))
			c.expectPong([]byte("Hello, world!"))
		}),
		echoes("2.3", "ping with a small binary payload", func(c *confClient) {
			b := []byte{0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff}
			c.send(frame(true, 0, opPing, b))
			c.expectPong(b)
		}),
		echoes("2.4", "ping with a 125-byte payload", func(c *confClient) {
			c.send(frame(true, 0, opPing, p125))
			c.expectPong(p125)
		}),
		fails("2.5", "ping with a 126-byte payload", 1002, func(c *confClient) {
			c.send(frame(true, 0, opPing, bytes.Repeat([]byte{0xfe}, 126)))
		}),
		echoes("2.6", "ping with a 125-byte payload in 1-byte chops", func(c *confClient) {
			c.sendChopped(frame(true, 0, opPing, p125), 1)
			c.expectPong(p125)
		}),
		echoes("2.7", "unsolicited pong without payload", func(c *confClient) {
			c.send(frame(true, 0, opPong, nil))
		}),
		echoes("2.8", "unsolicited pong with payload", func(c *confClient) {
			c.send(frame(true, 0, opPong, []byte("unsolicited pong payload")))
		}),
		echoes("2.9", "unsolicited pong, then a ping", func(c *confClient) {
			c.send(frame(true, 0, opPong, []byte("unsolicited pong payload")), frame(true, 0, opPing, []byte("ping payload")))
			c.expectPong([]byte("ping payload"))
		}),
		echoes("2.10", "ten pings", func(c *confClient) {
			for i := range 10 {
				c.send(frame(true, 0, opPing, fmt.Appendf(nil, "payload-%d", i)))
			}
			for i := range 10 {
				c.expectPong(fmt.Appendf(nil, "payload-%d", i))
			}
		}),
		echoes("2.11", "ten pings in 1-byte chops", func(c *confClient) {
			for i := range 10 {
				c.sendChopped(frame(true, 0, opPing, fmt.Appendf(nil, "payload-%d", i)), 1)
			}
			for i := range 10 {
				c.expectPong(fmt.Appendf(nil, "payload-%d", i))
			}
		}),
	}
}

// Section 3: no extension is negotiated, so every RSV bit is an error.
func rsvCases() []confCase {
	return []confCase{
		fails("3.1", "text with RSV1", 1002, func(c *confClient) {
			c.send(frame(true, rsv1, opText, []byte("Hello, world!")))
		}),
		fails("3.2", "text, text with RSV2, ping", 1002, func(c *confClient) {
			c.send(text("Hello, world!"))
			c.expectText("Hello, world!")
			c.send(frame(true, rsv2, opText, []byte("Hello, world!")), frame(true, 0, opPing, []byte("Hello, world!")))
		}),
		fails("3.3", "text, text with RSV1|RSV2, ping, in 1-byte chops", 1002, func(c *confClient) {
			c.sendChopped(text("Hello, world!"), 1)
			c.expectText("Hello, world!")
			c.sendChopped(append(frame(true, rsv1|rsv2, opText, []byte("Hello, world!")), frame(true, 0, opPing, nil)...), 1)
		}),
		fails("3.4", "text, text with RSV3, ping, in 1-byte chops", 1002, func(c *confClient) {
			c.sendChopped(text("Hello, world!"), 1)
			c.expectText("Hello, world!")
			c.sendChopped(append(frame(true, rsv3, opText, []byte("Hello, world!")), frame(true, 0, opPing, nil)...), 1)
		}),
		fails("3.5", "binary with RSV1|RSV3", 1002, func(c *confClient) {
			c.send(frame(true, rsv1|rsv3, opBin, []byte{0, 1, 2, 3}))
		}),
		fails("3.6", "ping with RSV2|RSV3", 1002, func(c *confClient) {
			c.send(frame(true, rsv2|rsv3, opPing, []byte("Hello, world!")))
		}),
		fails("3.7", "close with all RSV bits", 1002, func(c *confClient) {
			c.send(frame(true, rsv1|rsv2|rsv3, opClose, []byte{0x03, 0xe8}))
		}),
	}
}

// Section 4.
func opcodeCases() []confCase {
	var cs []confCase
	for i, op := range []byte{3, 4, 5, 6, 7} {
		cs = append(cs, opcodeCase(fmt.Sprintf("4.1.%d", i+1), op, i))
	}
	for i, op := range []byte{11, 12, 13, 14, 15} {
		cs = append(cs, opcodeCase(fmt.Sprintf("4.2.%d", i+1), op, i))
	}
	return cs
}

func opcodeCase(id string, op byte, variant int) confCase {
	return fails(id, fmt.Sprintf("reserved opcode %d", op), 1002, func(c *confClient) {
		var payload []byte
		if variant%2 == 1 {
			payload = []byte("reserved opcode payload")
		}
		if variant >= 2 {
			c.send(text("Hello, world!"))
			c.expectText("Hello, world!")
		}
		c.send(frame(true, 0, op, payload), frame(true, 0, opPing, nil))
	})
}

// Section 5.
func fragmentCases() []confCase {
	f1, f2 := []byte("fragment1"), []byte("fragment2")
	two := func(op byte) []byte {
		return append(frame(false, 0, op, f1), frame(true, 0, opCont, f2)...)
	}
	withPing := append(append(frame(false, 0, opText, f1), frame(true, 0, opPing, []byte("pongme!"))...), frame(true, 0, opCont, f2)...)
	cs := []confCase{
		fails("5.1", "ping in two fragments", 1002, func(c *confClient) { c.send(two(opPing)) }),
		fails("5.2", "pong in two fragments", 1002, func(c *confClient) { c.send(two(opPong)) }),
		echoes("5.3", "text in two fragments", func(c *confClient) {
			c.send(two(opText))
			c.expectText("fragment1fragment2")
		}),
		echoes("5.4", "text in two fragments, 1-byte chops", func(c *confClient) {
			c.sendChopped(two(opText), 1)
			c.expectText("fragment1fragment2")
		}),
		echoes("5.5", "binary in two fragments, 3-byte chops", func(c *confClient) {
			c.sendChopped(two(opBin), 3)
			c.expectBinary([]byte("fragment1fragment2"))
		}),
		echoes("5.6", "text in two fragments with a ping between", func(c *confClient) {
			c.send(withPing)
			c.expectPong([]byte("pongme!"))
			c.expectText("fragment1fragment2")
		}),
		echoes("5.7", "text in two fragments with a ping between, 1-byte chops", func(c *confClient) {
			c.sendChopped(withPing, 1)
			c.expectPong([]byte("pongme!"))
			c.expectText("fragment1fragment2")
		}),
		echoes("5.8", "text in two fragments with a ping between, the ping answered before the message ends", func(c *confClient) {
			c.send(frame(false, 0, opText, f1), frame(true, 0, opPing, []byte("pongme!")))
			c.expectPong([]byte("pongme!"))
			c.send(frame(true, 0, opCont, f2))
			c.expectText("fragment1fragment2")
		}),
		fails("5.9", "final continuation with no message", 1002, func(c *confClient) {
			c.send(frame(true, 0, opCont, []byte("non-continuation payload")), text("Hello, world!"))
		}),
		fails("5.10", "final continuation with no message, 1-byte chops", 1002, func(c *confClient) {
			c.sendChopped(append(frame(true, 0, opCont, []byte("non-continuation payload")), text("Hello, world!")...), 1)
		}),
		fails("5.11", "final continuation with no message, each frame its own write", 1002, func(c *confClient) {
			c.send(frame(true, 0, opCont, []byte("non-continuation payload")))
			c.send(text("Hello, world!"))
		}),
		fails("5.12", "non-final continuation with no message", 1002, func(c *confClient) {
			c.send(frame(false, 0, opCont, []byte("non-continuation payload")), text("Hello, world!"))
		}),
		fails("5.13", "non-final continuation with no message, 1-byte chops", 1002, func(c *confClient) {
			c.sendChopped(append(frame(false, 0, opCont, []byte("non-continuation payload")), text("Hello, world!")...), 1)
		}),
		fails("5.14", "empty non-final continuation with no message", 1002, func(c *confClient) {
			c.send(frame(false, 0, opCont, nil))
		}),
		fails("5.15", "text in two fragments, then a continuation and a new text (the echo of the first may or may not come)", 1002, func(c *confClient) {
			c.send(two(opText), frame(false, 0, opCont, []byte("fragment3")), text("fragment4"))
		}),
		fails("5.16", "continuations before a fragmented text", 1002, func(c *confClient) {
			c.send(frame(false, 0, opCont, f1), frame(true, 0, opCont, f2), two(opText))
		}),
		fails("5.17", "final continuations before a fragmented text", 1002, func(c *confClient) {
			c.send(frame(true, 0, opCont, f1), frame(true, 0, opCont, f2), two(opText))
		}),
		fails("5.18", "a new text message inside a fragmented one", 1002, func(c *confClient) {
			c.send(frame(false, 0, opText, f1), frame(true, 0, opText, f2))
		}),
		echoes("5.19", "text in five fragments with two pings between, each answered as it comes", func(c *confClient) {
			c.send(frame(false, 0, opText, []byte("fragment1")), frame(false, 0, opCont, []byte("fragment2")), frame(true, 0, opPing, []byte("pongme 1!")))
			c.expectPong([]byte("pongme 1!"))
			c.send(frame(false, 0, opCont, []byte("fragment3")), frame(false, 0, opCont, []byte("fragment4")), frame(true, 0, opPing, []byte("pongme 2!")))
			c.expectPong([]byte("pongme 2!"))
			c.send(frame(true, 0, opCont, []byte("fragment5")))
			c.expectText("fragment1fragment2fragment3fragment4fragment5")
		}),
		echoes("5.20", "as 5.19, in 1-byte chops", func(c *confClient) {
			c.sendChopped(append(append(frame(false, 0, opText, []byte("fragment1")), frame(false, 0, opCont, []byte("fragment2"))...), frame(true, 0, opPing, []byte("pongme 1!"))...), 1)
			c.expectPong([]byte("pongme 1!"))
			c.sendChopped(append(append(frame(false, 0, opCont, []byte("fragment3")), frame(false, 0, opCont, []byte("fragment4"))...), frame(true, 0, opPing, []byte("pongme 2!"))...), 1)
			c.expectPong([]byte("pongme 2!"))
			c.sendChopped(frame(true, 0, opCont, []byte("fragment5")), 1)
			c.expectText("fragment1fragment2fragment3fragment4fragment5")
		}),
		fails("5.21", "binary continued by a text", 1002, func(c *confClient) {
			c.send(frame(false, 0, opBin, f1), frame(true, 0, opText, f2))
		}),
	}
	return cs
}

// utf8Vector is one UTF-8 test sequence (after Markus Kuhn's
// UTF-8-test.txt, as Autobahn's section 6 uses it).
type utf8Vector struct {
	desc  string
	hex   string
	valid bool
}

// utf8Groups are the vectors by group; the group number is the case's
// subsection.
var utf8Groups = []struct {
	sub     int
	vectors []utf8Vector
}{
	{5, []utf8Vector{ // valid
		{"kosme", "cebae1bdb9cf83cebcceb5", true},
		{"ASCII with Latin-1", "48656c6c6f2dc2b540c39fc3b6c3a4c3bcc3a0c3a12d5554462d382121", true},
		{"CJK", "e697a5e69cace8aa9e", true},
		{"emoji", "f09f9880f09f8e89", true},
		{"mixed", "61ceb1e282acf0908d88", true},
	}},
	{6, []utf8Vector{ // kosme, one byte short and whole, byte by byte
		{"ce", "ce", false}, {"ceba", "ceba", true}, {"cebae1", "cebae1", false}, {"cebae1bd", "cebae1bd", false},
		{"cebae1bdb9", "cebae1bdb9", true}, {"cebae1bdb9cf", "cebae1bdb9cf", false}, {"cebae1bdb9cf83", "cebae1bdb9cf83", true},
		{"cebae1bdb9cf83ce", "cebae1bdb9cf83ce", false}, {"cebae1bdb9cf83cebc", "cebae1bdb9cf83cebc", true},
		{"cebae1bdb9cf83cebcce", "cebae1bdb9cf83cebcce", false}, {"cebae1bdb9cf83cebcceb5", "cebae1bdb9cf83cebcceb5", true},
	}},
	{7, []utf8Vector{ // first possible sequence of each length
		{"U+0000", "00", true}, {"U+0080", "c280", true}, {"U+0800", "e0a080", true}, {"U+10000", "f0908080", true},
	}},
	{8, []utf8Vector{ // five and six bytes: not UTF-8
		{"5 bytes, U+200000", "f888808080", false}, {"6 bytes, U+4000000", "fc8480808080", false},
	}},
	{9, []utf8Vector{ // last possible sequence of each length
		{"U+007F", "7f", true}, {"U+07FF", "dfbf", true}, {"U+FFFF", "efbfbf", true}, {"U+10FFFF", "f48fbfbf", true},
	}},
	{10, []utf8Vector{ // past the last code point
		{"U+1FFFFF", "f7bfbfbf", false}, {"5 bytes, U+3FFFFFF", "fbbfbfbfbf", false}, {"6 bytes, U+7FFFFFFF", "fdbfbfbfbfbf", false},
	}},
	{11, []utf8Vector{ // other boundary conditions
		{"U+D7FF", "ed9fbf", true}, {"U+E000", "ee8080", true}, {"U+FFFD", "efbfbd", true}, {"U+10FFFF", "f48fbfbf", true},
		{"U+110000", "f4908080", false},
	}},
	{12, []utf8Vector{ // unexpected continuation bytes
		{"80", "80", false}, {"bf", "bf", false}, {"80 bf", "80bf", false}, {"80 bf 80", "80bf80", false},
		{"80 bf 80 bf", "80bf80bf", false}, {"80 bf 80 bf 80", "80bf80bf80", false}, {"80 bf 80 bf 80 bf", "80bf80bf80bf", false},
		{"80 bf 80 bf 80 bf 80", "80bf80bf80bf80", false},
		{"every continuation byte", "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf", false},
	}},
	{13, []utf8Vector{ // lonely start bytes followed by a space
		{"2-byte starts", "c020c120c220c320c420c520c620c720c820c920ca20cb20cc20cd20ce20cf20d020d120d220d320d420d520d620d720d820d920da20db20dc20dd20de20", false},
		{"3-byte starts", "e020e120e220e320e420e520e620e720e820e920ea20eb20ec20ed20ee20", false},
		{"4-byte starts", "f020f120f220f320f420f520f620", false},
		{"5-byte starts", "f820f920fa20", false},
		{"6-byte starts", "fc20", false},
	}},
	{14, []utf8Vector{ // sequences with the last byte missing
		{"c0", "c0", false}, {"e080", "e080", false}, {"f08080", "f08080", false}, {"f8808080", "f8808080", false},
		{"fc80808080", "fc80808080", false}, {"df", "df", false}, {"efbf", "efbf", false}, {"f7bfbf", "f7bfbf", false},
		{"fbbfbfbf", "fbbfbfbf", false}, {"fdbfbfbfbf", "fdbfbfbfbf", false},
	}},
	{15, []utf8Vector{ // the incomplete sequences of 14, concatenated
		{"all of 6.14", "c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf", false},
	}},
	{16, []utf8Vector{ // impossible bytes
		{"fe", "fe", false}, {"ff", "ff", false}, {"fe fe ff ff", "fefeffff", false},
	}},
	{17, []utf8Vector{ // overlong ASCII '/'
		{"c0af", "c0af", false}, {"e080af", "e080af", false}, {"f08080af", "f08080af", false},
		{"f8808080af", "f8808080af", false}, {"fc80808080af", "fc80808080af", false},
	}},
	{18, []utf8Vector{ // maximum overlong sequences
		{"c1bf", "c1bf", false}, {"e09fbf", "e09fbf", false}, {"f08fbfbf", "f08fbfbf", false},
		{"f887bfbfbf", "f887bfbfbf", false}, {"fc83bfbfbfbf", "fc83bfbfbfbf", false},
	}},
	{19, []utf8Vector{ // overlong NUL
		{"c080", "c080", false}, {"e08080", "e08080", false}, {"f0808080", "f0808080", false},
		{"f880808080", "f880808080", false}, {"fc8080808080", "fc8080808080", false},
	}},
	{20, []utf8Vector{ // single UTF-16 surrogates
		{"U+D800", "eda080", false}, {"U+DB7F", "edadbf", false}, {"U+DB80", "edae80", false}, {"U+DBFF", "edafbf", false},
		{"U+DC00", "edb080", false}, {"U+DF80", "edbe80", false}, {"U+DFFF", "edbfbf", false},
	}},
	{21, []utf8Vector{ // paired UTF-16 surrogates
		{"D800 DC00", "eda080edb080", false}, {"D800 DFFF", "eda080edbfbf", false}, {"DB7F DC00", "edadbfedb080", false},
		{"DB7F DFFF", "edadbfedbfbf", false}, {"DB80 DC00", "edae80edb080", false}, {"DB80 DFFF", "edae80edbfbf", false},
		{"DBFF DC00", "edafbfedb080", false}, {"DBFF DFFF", "edafbfedbfbf", false},
	}},
	{22, []utf8Vector{ // noncharacters: valid UTF-8
		{"U+FFFE", "efbfbe", true}, {"U+FFFF", "efbfbf", true}, {"U+1FFFE", "f09fbfbe", true}, {"U+1FFFF", "f09fbfbf", true},
		{"U+10FFFE", "f48fbfbe", true}, {"U+FDD0", "efb790", true}, {"U+FDEF", "efb7af", true},
	}},
	{23, []utf8Vector{ // replacement characters and the like
		{"U+FFFD", "efbfbd", true}, {"U+FFF9..FFFB", "efbfb9efbfbaefbfbb", true}, {"invalid after valid", "cebae1bdb9cf83cebcceb5eda080656469746564", false},
	}},
}

// failPoint is the index of the first byte after which b can no longer
// be completed to valid UTF-8, or -1 when every prefix of b still can.
func failPoint(b []byte) int {
	for i := range b {
		if !completable(b[:i+1]) {
			return i
		}
	}
	return -1
}

// completable: some continuation bytes (at most three) make p valid.
func completable(p []byte) bool {
	if utf8.Valid(p) {
		return true
	}
	for k := 1; k <= 3; k++ {
		ext := make([]byte, len(p)+k)
		copy(ext, p)
		if tryCont(ext, len(p)) {
			return true
		}
	}
	return false
}

func tryCont(b []byte, i int) bool {
	if i == len(b) {
		return utf8.Valid(b)
	}
	for c := 0x80; c <= 0xbf; c++ {
		b[i] = byte(c)
		if tryCont(b, i+1) {
			return true
		}
	}
	return false
}

// Section 6.
func utf8Cases() []confCase {
	hello := []byte("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!")
	kosme := []byte("\u03ba\u1f79\u03c3\u03bc\u03b5")
	perByte := func(b []byte, op byte) []byte {
		var out []byte
		for i := range b {
			o := byte(opCont)
			if i == 0 {
				o = op
			}
			out = append(out, frame(i == len(b)-1, 0, o, b[i:i+1])...)
		}
		return out
	}
	bad := append(append([]byte(nil), kosme...), 0xed, 0xa0, 0x80, 'e', 'd', 'i', 't', 'e', 'd')
	cs := []confCase{
		echoes("6.1.1", "empty text message", func(c *confClient) { c.send(text("")); c.expectText("") }),
		echoes("6.1.2", "empty text in three empty fragments", func(c *confClient) {
			c.send(frame(false, 0, opText, nil), frame(false, 0, opCont, nil), frame(true, 0, opCont, nil))
			c.expectText("")
		}),
		echoes("6.1.3", "text with empty first and last fragments", func(c *confClient) {
			c.send(frame(false, 0, opText, nil), frame(false, 0, opCont, []byte("middle")), frame(true, 0, opCont, nil))
			c.expectText("middle")
		}),
		echoes("6.2.1", "valid UTF-8 in one frame", func(c *confClient) { c.send(text(string(hello))); c.expectText(string(hello)) }),
		echoes("6.2.2", "valid UTF-8 in two fragments split between code points", func(c *confClient) {
			c.send(frame(false, 0, opText, hello[:7]), frame(true, 0, opCont, hello[7:]))
			c.expectText(string(hello))
		}),
		echoes("6.2.3", "valid UTF-8 one byte per frame", func(c *confClient) { c.send(perByte(hello, opText)); c.expectText(string(hello)) }),
		echoes("6.2.4", "kosme one byte per frame", func(c *confClient) { c.send(perByte(kosme, opText)); c.expectText(string(kosme)) }),
		fails("6.3.1", "invalid UTF-8 (a surrogate) in one frame", 1007, func(c *confClient) { c.send(frame(true, 0, opText, bad)) }),
		fails("6.3.2", "invalid UTF-8 one byte per frame", 1007, func(c *confClient) { c.send(perByte(bad, opText)) }),
		fails("6.4.1", "fail fast: U+110000 in the second of three fragments; closed before the third", 1007, func(c *confClient) {
			c.send(frame(false, 0, opText, kosme), frame(false, 0, opCont, []byte{0xf4, 0x90, 0x80, 0x80}))
			c.expectClose()
			c.send(frame(true, 0, opCont, []byte("edited")))
		}),
		fails("6.4.2", "fail fast: a sequence split across fragments, bad at its second byte", 1007, func(c *confClient) {
			c.send(frame(false, 0, opText, append(append([]byte(nil), kosme...), 0xf4)), frame(false, 0, opCont, []byte{0x90}))
			c.expectClose()
			c.send(frame(true, 0, opCont, []byte{0x80, 0x80, 'e'}))
		}),
		fails("6.4.3", "fail fast inside one frame: closed while the frame is still arriving", 1007, func(c *confClient) {
			f := frame(true, 0, opText, append(append(append([]byte(nil), kosme...), 0xf4, 0x90, 0x80, 0x80), []byte("edited")...))
			cut := len(f) - len("edited") - 4
			c.send(f[:cut])
			c.send(f[cut : cut+4])
			c.expectClose()
			c.send(f[cut+4:])
		}),
		fails("6.4.4", "fail fast inside one frame, the bad byte alone in its chop", 1007, func(c *confClient) {
			f := frame(true, 0, opText, append(append(append([]byte(nil), kosme...), 0xf4, 0x90, 0x80, 0x80), []byte("edited")...))
			cut := len(f) - len("edited") - 4
			c.send(f[:cut+1])
			c.send(f[cut+1 : cut+2])
			c.expectClose()
			c.send(f[cut+2:])
		}),
	}
	var fast []confCase     // 6.24: each early-detectable invalid vector, one byte per frame, fail fast
	var inflated []confCase // 6.25: each vector, compressed
	for _, g := range utf8Groups {
		for i, v := range g.vectors {
			b, err := hex.DecodeString(v.hex)
			if err != nil || utf8.Valid(b) != v.valid {
				panic(fmt.Sprintf("bad vector %s %q", v.desc, v.hex)) // the table contradicts RFC 3629
			}
			id := fmt.Sprintf("6.%d.%d", g.sub, i+1)
			desc := "UTF-8 " + v.desc
			if v.valid {
				cs = append(cs, echoes(id, desc+" (valid)", func(c *confClient) { c.send(frame(true, 0, opText, b)); c.expectText(string(b)) }))
				inflated = append(inflated, confCase{id: "", desc: desc + " (valid), compressed", offer: "permessage-deflate", accept: true,
					run: func(c *confClient) {
						c.send(frame(true, rsv1, opText, deflateMessage(b)))
						c.expectText(string(b))
						c.sendClose(1000, "")
					}, close: []int{1000}, end: true})
				continue
			}
			cs = append(cs, fails(id, desc+" (invalid)", 1007, func(c *confClient) { c.send(frame(true, 0, opText, b)) }))
			inflated = append(inflated, confCase{desc: desc + " (invalid), compressed", offer: "permessage-deflate", accept: true,
				run: func(c *confClient) { c.send(frame(true, rsv1, opText, deflateMessage(b))) }, close: []int{1007}, end: true})
			if at := failPoint(append([]byte("ok "), b...)); at >= 0 {
				at -= 3
				fast = append(fast, fails("", desc+": closed at the first bad byte, one byte per frame, the message unfinished", 1007, func(c *confClient) {
					var out []byte
					out = append(out, frame(false, 0, opText, []byte("ok "))...)
					for j := 0; j <= at; j++ {
						out = append(out, frame(false, 0, opCont, b[j:j+1])...)
					}
					c.send(out)
					c.expectClose()
					c.send(frame(true, 0, opCont, []byte("rest")))
				}))
			}
		}
	}
	for i := range fast {
		fast[i].id = fmt.Sprintf("6.24.%d", i+1)
	}
	for i := range inflated {
		inflated[i].id = fmt.Sprintf("6.25.%d", i+1)
	}
	return append(append(cs, fast...), inflated...)
}

// Section 7.
func closeCases() []confCase {
	cs := []confCase{
		echoes("7.1.1", "text, then close", func(c *confClient) { c.send(text("Hello World!")); c.expectText("Hello World!") }),
		{id: "7.1.2", desc: "close twice", run: func(c *confClient) { c.sendClose(1000, ""); c.sendClose(1000, "") }, close: []int{1000}, end: true},
		{id: "7.1.3", desc: "a ping after the close goes unanswered", run: func(c *confClient) {
			c.send(closeFrame(1000, ""), frame(true, 0, opPing, []byte("Hello World!")))
		}, close: []int{1000}, end: true},
		{id: "7.1.4", desc: "a text after the close goes unanswered", run: func(c *confClient) {
			c.send(closeFrame(1000, ""), text("Hello World!"))
		}, close: []int{1000}, end: true},
		{id: "7.1.5", desc: "close inside a fragmented message", run: func(c *confClient) {
			c.send(frame(false, 0, opText, []byte("fragment1")), closeFrame(1000, ""), frame(true, 0, opCont, []byte("fragment2")))
		}, close: []int{1000}, end: true},
		{id: "7.1.6", desc: "a large message, then close and a ping (the echo may or may not come first; the pong never)", run: func(c *confClient) {
			p := repeatTo("BAsd7&jh23", 256<<10)
			c.send(text(string(p)), closeFrame(1000, ""), frame(true, 0, opPing, []byte("Hello World!")))
		}, close: []int{1000}, end: true},
		{id: "7.3.1", desc: "close with no payload", run: func(c *confClient) { c.sendClose(noStatus, "") }, close: []int{noStatus, 1000}, end: true},
		{id: "7.3.2", desc: "close with a 1-byte payload", run: func(c *confClient) { c.send(frame(true, 0, opClose, []byte{0x03})) }, close: []int{1002}, end: true},
		{id: "7.3.3", desc: "close 1000 without reason", run: func(c *confClient) { c.sendClose(1000, "") }, close: []int{1000}, end: true},
		{id: "7.3.4", desc: "close 1000 with a reason", run: func(c *confClient) { c.sendClose(1000, "Hello World!") }, close: []int{1000}, end: true},
		{id: "7.3.5", desc: "close 1000 with a 123-byte reason", run: func(c *confClient) { c.sendClose(1000, strings.Repeat("*", 123)) }, close: []int{1000}, end: true},
		{id: "7.3.6", desc: "close 1000 with a 124-byte reason (payload 126 bytes)", run: func(c *confClient) { c.sendClose(1000, strings.Repeat("*", 124)) }, close: []int{1002}, end: true},
		{id: "7.5.1", desc: "close reason of invalid UTF-8", run: func(c *confClient) {
			c.sendClose(1000, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64")
		}, close: []int{1007}, end: true},
		{id: "7.5.2", desc: "close reason of truncated UTF-8", run: func(c *confClient) { c.sendClose(1000, "ok\xe2\x82") }, close: []int{1007}, end: true},
		{id: "7.5.3", desc: "close reason of valid multi-byte UTF-8", run: func(c *confClient) { c.sendClose(1000, "\u03ba\u1f79\u03c3\u03bc\u03b5 \U0001f600") }, close: []int{1000}, end: true},
	}
	for i, code := range []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999} {
		cs = append(cs, confCase{id: fmt.Sprintf("7.7.%d", i+1), desc: fmt.Sprintf("close with valid code %d", code),
			run: func(c *confClient) { c.sendClose(code, "") }, close: []int{code}, end: true})
	}
	for i, code := range []int{0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535} {
		cs = append(cs, confCase{id: fmt.Sprintf("7.9.%d", i+1), desc: fmt.Sprintf("close with invalid code %d", code),
			run: func(c *confClient) {
				c.send(frame(true, 0, opClose, []byte{byte(code >> 8), byte(code)}))
			}, close: []int{1002}, end: true})
	}
	return cs
}

// Section 9.
func limitCases() []confCase {
	var cs []confCase
	sizes := []int{64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20}
	for i, n := range sizes {
		cs = append(cs, echoes(fmt.Sprintf("9.1.%d", i+1), fmt.Sprintf("text message of %d bytes", n), func(c *confClient) {
			p := repeatTo("BAsd7&jh23 \u03ba\u1f79\u03c3\u03bc\u03b5 ", n)
			c.send(text(string(p)))
			c.expectText(string(p))
		}))
		cs = append(cs, echoes(fmt.Sprintf("9.2.%d", i+1), fmt.Sprintf("binary message of %d bytes", n), func(c *confClient) {
			p := randomBytes(uint64(n), n)
			c.send(binary_(p))
			c.expectBinary(p)
		}))
	}
	frags := []int{64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20}
	for i, fs := range frags {
		for j, op := range []byte{opText, opBin} {
			cs = append(cs, echoes(fmt.Sprintf("9.%d.%d", 3+j, i+1), fmt.Sprintf("%s message of 4 MiB in fragments of %d bytes", opName(op), fs), func(c *confClient) {
				var p []byte
				if op == opText {
					p = repeatTo("*", 4<<20) // ASCII: any cut is between code points
				} else {
					p = randomBytes(uint64(fs), 4<<20)
				}
				var out []byte
				for k := 0; k < len(p); k += fs {
					o := byte(opCont)
					if k == 0 {
						o = op
					}
					out = append(out, frame(k+fs >= len(p), 0, o, p[k:min(k+fs, len(p))])...)
				}
				c.send(out)
				c.expect(op, p)
			}))
		}
	}
	for i, chop := range []int{64, 128, 256, 512, 1024, 2048} {
		for j, op := range []byte{opText, opBin} {
			cs = append(cs, echoes(fmt.Sprintf("9.%d.%d", 5+j, i+1), fmt.Sprintf("%s message of 1 MiB in chops of %d bytes", opName(op), chop), func(c *confClient) {
				p := repeatTo("BAsd7&jh23 \u03ba\u1f79\u03c3\u03bc\u03b5 ", 1<<20)
				c.sendChopped(frame(true, 0, op, p), chop)
				c.expect(op, p)
			}))
		}
	}
	for i, n := range []int{0, 16, 64, 256, 1 << 10, 4 << 10} {
		for j, op := range []byte{opText, opBin} {
			cs = append(cs, echoes(fmt.Sprintf("9.%d.%d", 7+j, i+1), fmt.Sprintf("1000 %s messages of %d bytes", opName(op), n), func(c *confClient) {
				p := repeatTo("*", n)
				f := frame(true, 0, op, p)
				go func() { // the server echoes while the client still sends
					for range 1000 {
						c.conn.Write(f)
					}
				}()
				for range 1000 {
					c.expect(op, p)
				}
			}))
		}
	}
	cs = append(cs,
		fails("9.9.1", "a frame announcing more than the read limit: closed before its payload comes", 1009, func(c *confClient) {
			h := []byte{0x82, 0x80 | 127}
			h = append(h, 0, 0, 0, 0, 0x01, 0x50, 0, 0) // 21 MiB
			c.send(h, confMask[:], make([]byte, 1024))
		}),
		fails("9.9.2", "fragments adding up to more than the read limit", 1009, func(c *confClient) {
			part := make([]byte, 4<<20)
			c.send(frame(false, 0, opBin, part))
			for range 4 {
				c.send(frame(false, 0, opCont, part))
			}
			c.send(frame(true, 0, opCont, part))
		}),
		confCase{id: "9.9.3", desc: "a compressed message inflating past the read limit", offer: "permessage-deflate", accept: true,
			run: func(c *confClient) {
				c.send(frame(true, rsv1, opBin, deflateMessage(make([]byte, 21<<20))))
			}, close: []int{1009}, end: true},
	)
	return cs
}

// Section 10.
func autoFragmentCases() []confCase {
	return []confCase{echoes("10.1.1", "text of 65536 bytes in fragments of 1300", func(c *confClient) {
		p := repeatTo("*", 65536)
		var out []byte
		for k := 0; k < len(p); k += 1300 {
			o := byte(opCont)
			if k == 0 {
				o = opText
			}
			out = append(out, frame(k+1300 >= len(p), 0, o, p[k:min(k+1300, len(p))])...)
		}
		c.send(out)
		c.expectText(string(p))
	})}
}

// deflated is a case on a connection that negotiated permessage-deflate.
func deflated(id, desc string, close int, run func(c *confClient)) confCase {
	r := run
	if close == 1000 {
		r = func(c *confClient) { run(c); c.sendClose(1000, "") }
	}
	return confCase{id: id, desc: desc, offer: "permessage-deflate", accept: true, run: r, close: []int{close}, end: true}
}

// Section 12.
func deflateCases() []confCase {
	var cs []confCase
	sizes := []int{16, 64, 256, 1 << 10, 4 << 10, 8 << 10, 16 << 10, 32 << 10, 64 << 10, 128 << 10}
	kinds := []struct {
		name string
		op   byte
		gen  func(n int) []byte
	}{
		{"compressible text", opText, func(n int) []byte {
			return repeatTo("kk echoes \u03ba\u1f79\u03c3\u03bc\u03b5 over permessage-deflate. ", n)
		}},
		{"random binary", opBin, func(n int) []byte { return randomBytes(uint64(n)+1, n) }},
		{"JSON-like text", opText, func(n int) []byte { return repeatTo(`{"id":12,"name":"ann","tags":["a","b"],"ok":true},`, n) }},
	}
	for k, kind := range kinds {
		for i, n := range sizes {
			cs = append(cs, deflated(fmt.Sprintf("12.%d.%d", k+1, i+1), fmt.Sprintf("ten compressed %s messages of %d bytes", kind.name, n), 1000, func(c *confClient) {
				p := kind.gen(n)
				for range 10 {
					c.send(frame(true, rsv1, kind.op, deflateMessage(p)))
				}
				for range 10 {
					c.expect(kind.op, p)
				}
			}))
		}
	}
	p := repeatTo("kk echoes over permessage-deflate. ", 10000)
	z := deflateMessage(p)
	cs = append(cs,
		deflated("12.4.1", "uncompressed message on a compressing connection", 1000, func(c *confClient) {
			c.send(text("plain"))
			c.expectText("plain")
		}),
		deflated("12.4.2", "compressed message in fragments, RSV1 on the first", 1000, func(c *confClient) {
			c.send(frame(false, rsv1, opText, z[:len(z)/3]), frame(false, 0, opCont, z[len(z)/3:2*len(z)/3]), frame(true, 0, opCont, z[2*len(z)/3:]))
			c.expectText(string(p))
		}),
		deflated("12.4.3", "compressed fragments with a ping between", 1000, func(c *confClient) {
			c.send(frame(false, rsv1, opText, z[:len(z)/2]), frame(true, 0, opPing, []byte("p")), frame(true, 0, opCont, z[len(z)/2:]))
			c.expectPong([]byte("p"))
			c.expectText(string(p))
		}),
		deflated("12.4.4", "compressed message in 1-byte fragments", 1000, func(c *confClient) {
			q := deflateMessage([]byte("small compressed message"))
			var out []byte
			for i := range q {
				r, o := byte(0), byte(opCont)
				if i == 0 {
					r, o = rsv1, opText
				}
				out = append(out, frame(i == len(q)-1, r, o, q[i:i+1])...)
			}
			c.send(out)
			c.expectText("small compressed message")
		}),
		deflated("12.4.5", "compressed, then plain, then compressed", 1000, func(c *confClient) {
			c.send(frame(true, rsv1, opText, deflateMessage([]byte("one"))), text("two"), frame(true, rsv1, opBin, deflateMessage([]byte("three"))))
			c.expectText("one")
			c.expectText("two")
			c.expectBinary([]byte("three"))
		}),
		deflated("12.4.6", "empty compressed message", 1000, func(c *confClient) {
			c.send(frame(true, rsv1, opText, deflateMessage(nil)))
			c.expectText("")
		}),
		deflated("12.5.1", "RSV1 on a continuation frame", 1002, func(c *confClient) {
			c.send(frame(false, rsv1, opText, z[:10]), frame(true, rsv1, opCont, z[10:]))
		}),
		deflated("12.5.2", "RSV1 on a ping", 1002, func(c *confClient) { c.send(frame(true, rsv1, opPing, []byte("p"))) }),
		deflated("12.5.3", "RSV1 on a pong", 1002, func(c *confClient) { c.send(frame(true, rsv1, opPong, []byte("p"))) }),
		deflated("12.5.4", "RSV1 on a close", 1002, func(c *confClient) { c.send(frame(true, rsv1, opClose, []byte{0x03, 0xe8})) }),
		deflated("12.5.5", "RSV2 on a compressed message", 1002, func(c *confClient) { c.send(frame(true, rsv1|rsv2, opText, z)) }),
		deflated("12.5.6", "corrupt DEFLATE stream (reserved block type)", 1007, func(c *confClient) {
			c.send(frame(true, rsv1, opBin, []byte{0xff, 0xff, 0xff, 0xff, 0xff}))
		}),
		deflated("12.5.7", "corrupt DEFLATE stream (stored block whose LEN and NLEN disagree)", 1007, func(c *confClient) {
			c.send(frame(true, rsv1, opBin, []byte{0x00, 0x05, 0x00, 0x00, 0x00}))
		}),
		deflated("12.5.8", "invalid UTF-8 after inflation, fail fast: closed before the message ends", 1007, func(c *confClient) {
			var buf bytes.Buffer
			w := newFlushWriter(&buf)
			w.write([]byte("valid start \xed\xa0\x80"))
			c.send(frame(false, rsv1, opText, buf.Bytes()))
			c.expectClose()
			c.send(frame(true, 0, opCont, deflateMessage([]byte("rest"))))
		}),
		deflated("12.5.9", "compressed ping: RSV1 with a control opcode", 1002, func(c *confClient) {
			c.send(frame(true, rsv1, opPing, deflateMessage([]byte("ping"))))
		}),
		deflated("12.5.10", "a new compressed message inside a fragmented one", 1002, func(c *confClient) {
			c.send(frame(false, rsv1, opText, z[:10]), frame(true, rsv1, opText, z))
		}),
	)
	return cs
}

// Section 13: offers, and the answer kk must give.
func negotiationCases() []confCase {
	offers := []struct {
		offer  string
		accept bool
	}{
		{"permessage-deflate", true},
		{"permessage-deflate; client_no_context_takeover", true},
		{"permessage-deflate; server_no_context_takeover", true},
		{"permessage-deflate; client_no_context_takeover; server_no_context_takeover", true},
		{"permessage-deflate; client_max_window_bits", true},
		{"permessage-deflate; client_max_window_bits=10", true},
		{"permessage-deflate; client_max_window_bits=\"12\"", true},
		{"permessage-deflate; server_max_window_bits=15", true},
		{"permessage-deflate; server_max_window_bits=10", false},
		{"permessage-deflate; server_max_window_bits=8; client_max_window_bits", false},
		{"permessage-deflate; server_max_window_bits=10, permessage-deflate", true},
		{"permessage-deflate; foo=1, permessage-deflate; client_max_window_bits", true},
		{"permessage-deflate; foo=1", false},
		{"permessage-deflate; client_no_context_takeover; client_no_context_takeover", false},
		{"permessage-deflate; server_max_window_bits", false},
		{"permessage-deflate; server_max_window_bits=16", false},
		{"permessage-deflate; client_max_window_bits=7", false},
		{"permessage-deflate; server_no_context_takeover=1", false},
		{"permessage-deflate; server_max_window_bits=15; server_max_window_bits=15", false},
		{"x-webkit-deflate-frame", false},
		{"x-unknown, permessage-deflate", true},
	}
	var cs []confCase
	for i, o := range offers {
		cs = append(cs, confCase{id: fmt.Sprintf("13.%d", i+1), desc: fmt.Sprintf("offer %q: accepted=%v", o.offer, o.accept), offer: o.offer, accept: o.accept,
			run: func(c *confClient) {
				p := repeatTo("negotiated once, echoed twice. ", 3000)
				if c.deflate {
					c.send(frame(true, rsv1, opText, deflateMessage(p)))
				} else {
					c.send(text(string(p)))
				}
				c.send(text("plain"))
				c.expectText(string(p))
				c.expectText("plain")
				c.sendClose(1000, "")
			}, close: []int{1000}, end: true})
	}
	return cs
}
