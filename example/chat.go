//kk:group /
package main

import (
	"context"
	_ "embed"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/kommandkit/kk/bus"
	kk "github.com/kommandkit/kk/runtime"
)

// The chat: GET /chat serves a page that joins a room over a WebSocket at
// GET /rooms/:room/ws?name=..., and everything said in a room reaches
// everyone in it.

//go:embed chat.html
var chatPage string

// ChatPage serves the chat's HTML page; the room and name come from its
// own query string (/chat?room=lobby&name=ann) or its form.
//
//kk:route GET /chat
func ChatPage(c *kk.Ctx) string {
	c.SetContentType("text/html; charset=utf-8")
	return chatPage
}

// RoomName is a chat room's name: 1 to 32 letters, digits, '-' or '_'.
// It is checked while the path is bound, so a bad one is a 400 and no
// WebSocket is opened.
type RoomName string

func (r *RoomName) UnmarshalText(b []byte) error {
	if len(b) == 0 || len(b) > 32 {
		return errors.New("a room name has 1 to 32 characters")
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return errors.New("a room name has only letters, digits, '-' and '_'")
		}
	}
	*r = RoomName(b)
	return nil
}

// ChatUser is who joins: ?name=, at most 24 characters.
type ChatUser struct {
	Name string `query:"name" default:"anonymous"`
}

func (u ChatUser) Validate() error {
	if utf8.RuneCountInString(u.Name) > 24 || strings.TrimSpace(u.Name) == "" {
		return errors.New("name: 1 to 24 characters")
	}
	return nil
}

// ChatMessage is what the room's members receive, as JSON.
type ChatMessage struct {
	Room   string `json:"room"`
	From   string `json:"from,omitempty"` // empty for the room's own notices
	Text   string `json:"text"`
	Online int    `json:"online"` // members in the room when it was sent
}

// Join is one member's connection: it joins the room, says who came and
// went, and passes on every text the member sends.
//
//kk:route GET /rooms/:room/ws
func (r *Chat) Join(ctx context.Context, room RoomName, user ChatUser, ws *kk.WebSocket) error {
	leave := r.join(string(room), ws)
	defer func() {
		leave()
		r.say(string(room), "", user.Name+" left")
	}()
	r.say(string(room), "", user.Name+" joined")
	for {
		text, err := ws.ReadText()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if text = strings.TrimSpace(text); text != "" {
			r.say(string(room), user.Name, text)
		}
	}
}

// Chat is the process's rooms. It fans a room's messages out to its
// members, one kk.Hub per room, through the event bus (events.go): say
// publishes on Bus, Deliver delivers, so two processes on one NATS server
// share rooms.
type Chat struct {
	Bus  *bus.Bus
	mu   sync.Mutex
	hubs map[string]*kk.Hub
}

// join adds ws to room and returns the func that takes it out again.
func (r *Chat) join(room string, ws *kk.WebSocket) (leave func()) {
	r.mu.Lock()
	if r.hubs == nil {
		r.hubs = make(map[string]*kk.Hub)
	}
	h := r.hubs[room]
	if h == nil {
		h = new(kk.Hub)
		r.hubs[room] = h
	}
	h.Join(ws)
	r.mu.Unlock()
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		h.Leave(ws)
		if h.Len() == 0 && r.hubs[room] == h {
			delete(r.hubs, room)
		}
	}
}

// say sends a message to everyone in room, in every process sharing the
// event bus: it is published on chat.<room> (a room name is a valid subject
// token), and Deliver hands it to each process's own members.
func (r *Chat) say(room, from, text string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := r.Bus.Publish(ctx, "chat."+room, ChatMessage{Room: room, From: from, Text: text}); err != nil {
		slog.Error("chat: publishing", "room", room, "err", err)
	}
}

// Deliver is every process's consumer of the rooms' messages, one at a
// time, so each room's messages reach its members in the order said. It
// sends m to this process's members of its room; members that cannot take
// it are dropped by the hub (their own handlers then end). Online counts
// this process's members.
//
//kk:consumer chat.*
func (r *Chat) Deliver(m ChatMessage) error {
	r.mu.Lock()
	h := r.hubs[m.Room]
	r.mu.Unlock()
	if h == nil {
		return nil
	}
	m.Online = h.Len()
	h.BroadcastJSON(m)
	return nil
}
