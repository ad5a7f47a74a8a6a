package main

import (
	"testing"
	"time"

	gws "github.com/gorilla/websocket"
	"github.com/nats-io/nats-server/v2/server"
)

// Two example processes and a nats-server on loopback: what a member says
// in a room through one process reaches the room's members connected to
// the other.
func TestChatAcrossProcesses(t *testing.T) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	t.Cleanup(ns.Shutdown)
	bin := buildExample(t)
	a := startInstance(t, bin, "-nats", ns.ClientURL())
	b := startInstance(t, bin, "-nats", ns.ClientURL())

	bob := chatClient(t, b.base, "lobby", "bob")
	next(t, bob, func(m ChatMessage) bool { return m.Text == "bob joined" })
	ann := chatClient(t, a.base, "lobby", "ann")
	// ann's arrival, announced in process a, reaches bob in process b.
	next(t, bob, func(m ChatMessage) bool { return m.Text == "ann joined" })
	next(t, ann, func(m ChatMessage) bool { return m.Text == "ann joined" })

	if err := ann.WriteMessage(gws.TextMessage, []byte("hello from a")); err != nil {
		t.Fatal(err)
	}
	if m := next(t, bob, func(m ChatMessage) bool { return m.From == "ann" }); m.Text != "hello from a" || m.Room != "lobby" {
		t.Fatalf("bob (process b) saw %+v; want ann's message from process a", m)
	}
	if err := bob.WriteMessage(gws.TextMessage, []byte("hello from b")); err != nil {
		t.Fatal(err)
	}
	if m := next(t, ann, func(m ChatMessage) bool { return m.From == "bob" }); m.Text != "hello from b" || m.Room != "lobby" {
		t.Fatalf("ann (process a) saw %+v; want bob's message from process b", m)
	}
	// Another room in process b hears nothing of the lobby.
	cy := chatClient(t, b.base, "other", "cy")
	next(t, cy, func(m ChatMessage) bool { return m.Text == "cy joined" })
	ann.WriteMessage(gws.TextMessage, []byte("lobby only"))
	next(t, bob, func(m ChatMessage) bool { return m.Text == "lobby only" })
	cy.WriteMessage(gws.TextMessage, []byte("other only"))
	if m := next(t, cy, func(m ChatMessage) bool { return m.From != "" }); m.Text != "other only" {
		t.Fatalf("cy saw %+v; want only its own room's message", m)
	}
}
