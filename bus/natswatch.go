package bus

import (
	"errors"

	"github.com/nats-io/nats.go"
)

// watch puts the bus's fault logging and counting in front of the
// connection's disconnect, reconnect and asynchronous error handlers, which
// it still calls: a lost connection, a reconnect, and a slow consumer
// (nats.go dropping messages over the pending limits) are logged with
// their counts and show in Stats.
func (t *natsTransport) watch() {
	nc, b := t.nc, t.bus
	t.prevDisconnect, t.prevReconnect, t.prevError = nc.DisconnectErrHandler(), nc.ReconnectHandler(), nc.ErrorHandler()
	prevDisconnect, prevReconnect, prevError := t.prevDisconnect, t.prevReconnect, t.prevError
	if prevDisconnect == nil && nc.Opts.DisconnectedCB != nil {
		old := nc.Opts.DisconnectedCB // the deprecated form, still honored
		prevDisconnect = func(nc *nats.Conn, _ error) { old(nc) }
	}
	nc.SetDisconnectErrHandler(func(nc *nats.Conn, err error) {
		if !nc.IsClosed() { // Close reports a disconnect too
			n := b.stats.disconnects.Add(1)
			b.logger().Warn("bus: disconnected from NATS; reconnecting (core NATS messages published meanwhile may be lost)", "err", err, "disconnects", n)
		}
		if prevDisconnect != nil {
			prevDisconnect(nc, err)
		}
	})
	nc.SetReconnectHandler(func(nc *nats.Conn) {
		n := b.stats.reconnects.Add(1)
		b.logger().Warn("bus: reconnected to NATS", "url", nc.ConnectedUrlRedacted(), "reconnects", n)
		if prevReconnect != nil {
			prevReconnect(nc)
		}
	})
	nc.SetErrorHandler(func(nc *nats.Conn, s *nats.Subscription, err error) {
		switch {
		case errors.Is(err, nats.ErrSlowConsumer) && s != nil:
			n := b.stats.slowConsumers.Add(1)
			dropped, _ := s.Dropped()
			msgs, bytes, _ := s.Pending()
			b.logger().Error("bus: slow consumer: NATS messages dropped over the pending limits", "subject", s.Subject, "dropped", dropped, "pending_msgs", msgs, "pending_bytes", bytes, "slow_consumers", n)
		case s != nil:
			b.logger().Error("bus: nats", "subject", s.Subject, "err", err)
		default:
			b.logger().Error("bus: nats", "err", err)
		}
		if prevError != nil {
			prevError(nc, s, err)
		}
	})
}

// unwatch gives a connection the bus does not own its handlers back.
func (t *natsTransport) unwatch() {
	t.nc.SetDisconnectErrHandler(t.prevDisconnect)
	t.nc.SetReconnectHandler(t.prevReconnect)
	t.nc.SetErrorHandler(t.prevError)
}

// addStats adds what nats.go counts: the messages dropped over the pending
// limits by the bus's subscriptions.
func (t *natsTransport) addStats(s *Stats) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s.Dropped += t.droppedGone
	for _, sub := range t.subs {
		if n, err := sub.Dropped(); err == nil {
			s.Dropped += uint64(n)
		}
	}
}
