package kk

import (
	"encoding/json"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kommandkit/kk/runtime/internal/wsconn"
)

// Hub is a set of WebSockets to broadcast to, such as the members of a
// chat room. The zero value is an empty hub, ready to use; a Hub must not
// be copied after first use.
//
// A broadcast encodes the message once and writes it to the members from
// a few workers, more starting whenever writes stop finishing, and each
// member's writes are ordered on its own queue, so one slow client delays
// nobody else by more than a millisecond or so: the slow one is given up
// after the write timeout.
type Hub struct {
	mu      sync.Mutex
	members map[*WebSocket]struct{}
	list    []*WebSocket // members as a slice, rebuilt after a change
}

// Join adds ws to the hub. A WebSocket that is already closed is not
// added; one that closes later leaves by itself.
func (h *Hub) Join(ws *WebSocket) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.closed {
		return
	}
	if h.members == nil {
		h.members = make(map[*WebSocket]struct{})
	}
	if ws.hubs == nil {
		ws.hubs = make(map[*Hub]struct{}, 1)
	}
	h.members[ws] = struct{}{}
	ws.hubs[h] = struct{}{}
	h.list = nil
}

// Leave removes ws from the hub, if it is a member.
func (h *Hub) Leave(ws *WebSocket) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ws.mu.Lock()
	delete(ws.hubs, h)
	ws.mu.Unlock()
	h.removeLocked(ws)
}

// remove is Leave for a closing WebSocket, which has already let go of its
// own record of the hub.
func (h *Hub) remove(ws *WebSocket) {
	h.mu.Lock()
	h.removeLocked(ws)
	h.mu.Unlock()
}

func (h *Hub) removeLocked(ws *WebSocket) {
	if _, ok := h.members[ws]; ok {
		delete(h.members, ws)
		h.list = nil
	}
}

// Len is the number of members.
func (h *Hub) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.members)
}

// snapshot is the members now. The slice is shared until the next change,
// so broadcasts to an unchanged hub do not copy it.
func (h *Hub) snapshot() []*WebSocket {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.list == nil && len(h.members) > 0 {
		h.list = make([]*WebSocket, 0, len(h.members))
		for ws := range h.members {
			h.list = append(h.list, ws)
		}
	}
	return h.list
}

// BroadcastText sends s to every member as a text message. It returns when
// every write has finished or failed (at most the write timeout), with the
// members it could not write to, which it has dropped from the hub. Text
// that is not valid UTF-8 may not be sent (RFC 6455 section 5.6): it is
// logged, nothing is sent, and every member is returned but none dropped.
func (h *Hub) BroadcastText(s string) []*WebSocket {
	return h.broadcast(wsconn.OpText, []byte(s))
}

// BroadcastJSON sends v, encoded as JSON once, to every member as a text
// message, as BroadcastText does. A v that JSON cannot encode is a
// programming error, not the members' fault: it is logged, nothing is
// sent, and every member is returned but none is dropped.
func (h *Hub) BroadcastJSON(v any) []*WebSocket {
	b, err := json.Marshal(v)
	if err != nil {
		slog.Default().Error("kk: Hub.BroadcastJSON: encoding the message", "err", err)
		return append([]*WebSocket(nil), h.snapshot()...)
	}
	return h.broadcast(wsconn.OpText, b)
}

func (h *Hub) broadcast(op wsconn.OpCode, data []byte) []*WebSocket {
	members := h.snapshot()
	if len(members) == 0 {
		return nil
	}
	pm, err := wsconn.Prepare(op, data)
	if err != nil { // text that is not UTF-8: the caller's mistake, as in BroadcastJSON
		slog.Default().Error("kk: Hub.BroadcastText: the text is not valid UTF-8; nothing was sent")
		return append([]*WebSocket(nil), members...)
	}
	b := &broadcastRun{members: members, pm: pm}
	b.wg.Add(len(members))
	b.fanOut()
	b.wg.Wait()
	for _, ws := range b.failed {
		h.Leave(ws)
	}
	return b.failed
}

// fanOut writes to the members from a few worker goroutines that take
// them in turn, instead of a goroutine per member. A worker stuck on a
// stalled member holds up nobody: as long as members remain and no write
// has finished for a millisecond, another worker starts, so the others
// are written to while the stalled write waits out its timeout.
func (b *broadcastRun) fanOut() {
	workers := min(len(b.members), runtime.GOMAXPROCS(0))
	for range workers {
		go b.work()
	}
	if len(b.members) <= workers {
		return
	}
	seen := b.finished.Load()
	for b.next.Load() < int64(len(b.members)) {
		time.Sleep(time.Millisecond)
		if now := b.finished.Load(); now == seen {
			go b.work()
		} else {
			seen = now
		}
	}
}

func (b *broadcastRun) work() {
	for {
		i := b.next.Add(1) - 1
		if i >= int64(len(b.members)) {
			return
		}
		ws := b.members[i]
		ws.outq.write(ws, outMsg{pm: b.pm, run: b})
		b.finished.Add(1)
	}
}

// broadcastRun collects the outcome of one broadcast's writes.
type broadcastRun struct {
	members  []*WebSocket
	pm       *wsconn.Prepared
	next     atomic.Int64 // the next member a worker takes
	finished atomic.Int64 // writes done, so stuck workers can be told apart
	wg       sync.WaitGroup
	mu       sync.Mutex
	failed   []*WebSocket
}

func (b *broadcastRun) done(ws *WebSocket, err error) {
	if err != nil {
		b.mu.Lock()
		b.failed = append(b.failed, ws)
		b.mu.Unlock()
	}
	b.wg.Done()
}

type outMsg struct {
	pm  *wsconn.Prepared
	run *broadcastRun
}

// outQueue orders a WebSocket's broadcast writes: one goroutine at a time
// writes them (the one that found the queue idle), and broadcasts that
// come meanwhile queue behind it, so a stalled member holds up only its
// own queue, and an idle socket costs no goroutine.
type outQueue struct {
	mu      sync.Mutex
	pending []outMsg
	running bool
}

// write sends m now on the calling goroutine when nothing is queued for
// ws, else queues it behind the writes in progress (their goroutine sends
// it), so a member's messages keep their order.
func (q *outQueue) write(ws *WebSocket, m outMsg) {
	q.mu.Lock()
	if q.running {
		q.pending = append(q.pending, m)
		q.mu.Unlock()
		return
	}
	q.running = true
	q.mu.Unlock()
	m.run.done(ws, ws.writePrepared(m.pm))
	q.drain(ws)
}

// drain sends what was queued meanwhile, then marks the queue idle.
func (q *outQueue) drain(ws *WebSocket) {
	for {
		q.mu.Lock()
		if len(q.pending) == 0 {
			q.running = false
			q.pending = nil
			q.mu.Unlock()
			return
		}
		m := q.pending[0]
		q.pending[0] = outMsg{}
		q.pending = q.pending[1:]
		q.mu.Unlock()
		m.run.done(ws, ws.writePrepared(m.pm))
	}
}
