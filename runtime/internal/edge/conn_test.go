package edge

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// TestEdgeConnLingers checks the close right after an answer: the peer
// sees the answer and then EOF while it is still sending, and the socket
// is released once the peer closes or the linger runs out.
func TestEdgeConnLingers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	el := Listener{ln}
	peer := make(chan net.Conn, 1)
	go func() {
		c, _ := net.Dial("tcp", ln.Addr().String())
		peer <- c
	}()
	sc, err := el.Accept()
	if err != nil {
		t.Fatal(err)
	}
	cc := <-peer
	defer cc.Close()
	cc.Write(make([]byte, 64<<10)) // input the server never reads
	if _, err := sc.Write([]byte("answer")); err != nil {
		t.Fatal(err)
	}
	if err := sc.Close(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // a plain close would have sent a RST by now
	cc.SetReadDeadline(time.Now().Add(2 * time.Second))
	got, err := bufio.NewReader(cc).ReadString('!')
	if got != "answer" || err == nil || err.Error() != "EOF" {
		t.Fatalf("read %q, %v; want the answer, then EOF", got, err)
	}
}
