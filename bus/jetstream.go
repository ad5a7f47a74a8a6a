package bus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kommandkit/kk/internal/subject"
)

// JetStreamConfig is the opt-in to durable delivery on NATS JetStream
// (WithJetStream). Zero fields take the defaults named on them.
type JetStreamConfig struct {
	// Stream is the JetStream stream holding the bus's messages (default
	// "KK"), created or updated by Connect on the subjects "_KK.js.>",
	// file storage, interest retention: a message stays until every
	// durable consumer matching it has acknowledged it.
	Stream string
	// Group names the durable consumers of Sends (default "kk"): the
	// processes of one Group with a consumer of the same pattern share it,
	// so each Send reaches exactly one of them, as on the other transports.
	Group string
	// Instance names this process's durable consumers of published
	// messages (default: the host name and process ID): every instance
	// gets its own copy of each Publish, as on the other transports. A
	// process restarted under the same Instance resumes where it stopped,
	// so give a stable name (unique per process) to lose no published
	// message across restarts.
	Instance string
	// InstanceTTL is how long the server keeps an instance's consumers of
	// published messages while no process of that Instance runs (default
	// 1 hour): long enough for a restart, short enough that instances
	// gone for good stop holding messages in the stream.
	InstanceTTL time.Duration
	// Replicas of the stream in a cluster (default 1).
	Replicas int
	// DedupWindow is how long the stream remembers message IDs
	// (WithMessageID): a retried Publish or Send with the same ID within
	// it is stored once (default 2 minutes).
	DedupWindow time.Duration
	// AckWait is how long the server waits for a consumer's
	// acknowledgement before it redelivers (default 30 s). It covers the
	// message's time in the mailbox and its handling.
	AckWait time.Duration
	// MaxDeliver is how many times a message whose consumer fails (error
	// or panic) is delivered before the bus gives up on it, logs it and
	// terminates it (default 5).
	MaxDeliver int
	// MaxAge bounds how long the stream keeps a message nobody acknowledged
	// (default 0: no bound).
	MaxAge time.Duration
}

// WithJetStream makes Connect (or FromConn) put Publish and Send on NATS
// JetStream: each returns once the server has stored the message, and
// consumers are durable, acknowledging each message after the consumer
// returns, so a message whose consumer process crashes, fails or overruns
// AckWait is delivered again. Request stays a core NATS request (its reply
// is its acknowledgement). Every process on the stream must use it.
// docs/bus.md has the guarantees per operation and transport.
func WithJetStream(cfg JetStreamConfig) Option {
	return func(c *config) { c.js = &cfg }
}

type messageIDKey struct{}

// WithMessageID returns a ctx under which Publish and Send on JetStream
// carry id as the message's Nats-Msg-Id: the stream stores a message once
// per id within its DedupWindow, so a retry after an error or a timeout
// with the same id cannot deliver it twice. Other transports ignore it.
func WithMessageID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, messageIDKey{}, id)
}

func messageID(ctx context.Context) string {
	id, _ := ctx.Value(messageIDKey{}).(string)
	return id
}

// delivery is what a consumer on JetStream learns about the message it
// handles.
type delivery struct {
	id          string
	redelivered bool
}

type deliveryKey struct{}

// MessageID returns, inside a consumer on JetStream, the message ID its
// sender gave (WithMessageID), or "" (no ID, or another transport).
// Delivery is at least once: a message handled by a process that crashed
// (or overran AckWait) before its acknowledgement reached the server comes
// again, so a consumer whose effect must happen once records the IDs it
// has handled with that effect, and skips one it has seen.
func MessageID(ctx context.Context) string {
	d, _ := ctx.Value(deliveryKey{}).(*delivery)
	if d == nil {
		return ""
	}
	return d.id
}

// Redelivered reports, inside a consumer on JetStream, whether the server
// has delivered this message before (to this or another process): only
// then can it have been handled already.
func Redelivered(ctx context.Context) bool {
	d, _ := ctx.Value(deliveryKey{}).(*delivery)
	return d != nil && d.redelivered
}

const (
	jsPrefix     = subject.Reserved + ".js."
	jsPubPrefix  = jsPrefix + "pub."
	jsSendPrefix = jsPrefix + "send."
)

// failedRetry is how long a message whose consumer failed waits before it
// is delivered again (a variable so tests can shorten it).
var failedRetry = time.Second

// jsTransport is the NATS transport with Publish and Send on JetStream.
// Requests, and the bus's connection handling, are the core transport's.
type jsTransport struct {
	*natsTransport
	js  jetstream.JetStream
	cfg JetStreamConfig

	mu       sync.Mutex
	consumes []jetstream.ConsumeContext
}

func newJetStream(t *natsTransport, cfg JetStreamConfig) (*jsTransport, error) {
	if cfg.Stream == "" {
		cfg.Stream = "KK"
	}
	if cfg.Group == "" {
		cfg.Group = "kk"
	}
	if cfg.Instance == "" {
		host, _ := os.Hostname()
		cfg.Instance = host + "-" + strconv.Itoa(os.Getpid())
	}
	cfg.Group, cfg.Instance = consumerToken(cfg.Group), consumerToken(cfg.Instance)
	if cfg.InstanceTTL == 0 {
		cfg.InstanceTTL = time.Hour
	}
	if cfg.Replicas == 0 {
		cfg.Replicas = 1
	}
	if cfg.DedupWindow == 0 {
		cfg.DedupWindow = 2 * time.Minute
	}
	if cfg.AckWait == 0 {
		cfg.AckWait = 30 * time.Second
	}
	if cfg.MaxDeliver == 0 {
		cfg.MaxDeliver = 5
	}
	js, err := jetstream.New(t.nc)
	if err != nil {
		return nil, fmt.Errorf("bus: JetStream: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        cfg.Stream,
		Description: "kk bus messages",
		Subjects:    []string{jsPrefix + ">"},
		Retention:   jetstream.InterestPolicy,
		Storage:     jetstream.FileStorage,
		Replicas:    cfg.Replicas,
		Duplicates:  cfg.DedupWindow,
		MaxAge:      cfg.MaxAge,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: JetStream stream %s: %w", cfg.Stream, err)
	}
	return &jsTransport{natsTransport: t, js: js, cfg: cfg}, nil
}

func (j *jsTransport) publish(ctx context.Context, subj string, m *message) error {
	return j.store(ctx, "publish", jsPubPrefix+subj, m)
}

func (j *jsTransport) send(ctx context.Context, subj string, m *message) error {
	return j.store(ctx, "send", jsSendPrefix+subj, m)
}

// store publishes m to the stream and returns once the server has stored
// it (or recognized its message ID as a duplicate within the window).
func (j *jsTransport) store(ctx context.Context, kind, subj string, m *message) error {
	ctx, cancel := withDefault(ctx)
	defer cancel()
	opts := []jetstream.PublishOpt{jetstream.WithExpectStream(j.cfg.Stream)}
	if id := messageID(ctx); id != "" {
		opts = append(opts, jetstream.WithMsgID(id))
	}
	var err error
	if m.header == nil {
		_, err = j.js.Publish(ctx, subj, m.bytes(), opts...)
	} else {
		_, err = j.js.PublishMsg(ctx, &nats.Msg{Subject: subj, Data: m.bytes(), Header: natsHeader(m.header)}, opts...)
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout):
		return ErrTimeout
	case errors.Is(err, context.Canceled):
		return err
	default:
		return fmt.Errorf("bus: %s to %s: not stored: %w", kind, strings.TrimPrefix(subj, jsPrefix), err)
	}
}

// consumerToken is s with what a consumer name may not hold (white
// space, ".", "*", ">", "/", "\\") replaced by "_".
func consumerToken(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(".*>/\\", r) {
			return '_'
		}
		return r
	}, s)
}

// durableName is the durable consumer of pattern for Sends (shared by the
// Group) or for published messages (this Instance's own): a name the
// server accepts (no dots or wildcards) that only this pattern gets.
func (j *jsTransport) durableName(send bool, pattern string) string {
	sum := sha256.Sum256([]byte(pattern))
	h := hex.EncodeToString(sum[:8])
	if send {
		return j.cfg.Group + "_send_" + h
	}
	return j.cfg.Group + "_pub_" + j.cfg.Instance + "_" + h
}

// register makes c's two durable consumers (Sends, shared by the Group;
// published messages, this Instance's own) and its core queue
// subscription (Requests).
func (j *jsTransport) register(c *consumer) error {
	var ccs []jetstream.ConsumeContext
	stop := func() {
		for _, cc := range ccs {
			cc.Stop()
		}
	}
	for _, send := range []bool{true, false} {
		cc, err := j.consume(c, send)
		if err != nil {
			stop()
			return err
		}
		ccs = append(ccs, cc)
	}
	qs, err := j.nc.QueueSubscribe(requestPrefix+c.pattern, queue, func(m *nats.Msg) { j.onSend(c, m) })
	if err == nil {
		err = qs.SetPendingLimits(j.pending.msgs, j.pending.bytes)
	}
	if err == nil {
		err = j.nc.Flush()
	}
	if err != nil {
		stop()
		if qs != nil {
			qs.Unsubscribe()
		}
		return fmt.Errorf("bus: subscribing to %s: %w", c.pattern, err)
	}
	j.natsTransport.mu.Lock()
	j.subs = append(j.subs, qs)
	j.natsTransport.mu.Unlock()
	j.mu.Lock()
	j.consumes = append(j.consumes, ccs...)
	j.mu.Unlock()
	return nil
}

// consume creates or updates one of c's durable consumers and starts
// taking its messages.
func (j *jsTransport) consume(c *consumer, send bool) (jetstream.ConsumeContext, error) {
	cfg := jetstream.ConsumerConfig{
		Durable:       j.durableName(send, c.pattern),
		Description:   "kk bus: published messages on " + c.pattern + " for " + j.cfg.Instance,
		FilterSubject: jsPubPrefix + c.pattern,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       j.cfg.AckWait,
		MaxDeliver:    -1, // the bus terminates a failing message itself (settle)
		// At most a mailbox of messages unacknowledged (in all the
		// processes sharing it): what a stalled consumer holds is
		// bounded and the rest waits in the stream.
		MaxAckPending:     cap(c.mailbox),
		InactiveThreshold: j.cfg.InstanceTTL,
	}
	if send {
		cfg.Description = "kk bus: Sends on " + c.pattern + " for group " + j.cfg.Group
		cfg.FilterSubject = jsSendPrefix + c.pattern
		cfg.InactiveThreshold = 0 // the group's: kept until removed
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cons, err := j.js.CreateOrUpdateConsumer(ctx, j.cfg.Stream, cfg)
	if err != nil {
		return nil, fmt.Errorf("bus: JetStream consumer of %s: %w", c.pattern, err)
	}
	cc, err := cons.Consume(func(msg jetstream.Msg) { j.onMsg(c, msg) },
		jetstream.PullMaxMessages(min(cap(c.mailbox), 256)),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			j.bus.logger().Warn("bus: JetStream consumer", "pattern", c.pattern, "err", err)
		}))
	if err != nil {
		return nil, fmt.Errorf("bus: JetStream consumer of %s: %w", c.pattern, err)
	}
	return cc, nil
}

// onMsg puts a stored message in c's mailbox, waiting while it is full
// (the server sends no more than MaxAckPending meanwhile); it is
// acknowledged once the consumer has returned (done).
func (j *jsTransport) onMsg(c *consumer, msg jetstream.Msg) {
	subj, ok := strings.CutPrefix(msg.Subject(), jsPubPrefix)
	if !ok {
		subj, _ = strings.CutPrefix(msg.Subject(), jsSendPrefix)
	}
	delivered := uint64(1)
	if md, err := msg.Metadata(); err == nil {
		delivered = md.NumDelivered
	}
	if delivered > 1 {
		j.bus.stats.redelivered.Add(1)
	}
	env := envelope{subject: subj, data: msg.Data(), header: j.bus.fieldsOf(msg.Headers()), done: func(err error) { j.settle(c, msg, delivered, err) }}
	if id := msg.Headers().Get(jetstream.MsgIDHeader); id != "" || delivered > 1 {
		env.delivery = &delivery{id: id, redelivered: delivered > 1}
	}
	if err := c.deliver(context.Background(), env, waitUnbounded); err != nil {
		msg.Nak() // the consumer stopped: another process, or a restart, takes it
	}
}

// settle acknowledges a handled message; a failed one is delivered again
// after failedRetry, up to MaxDeliver times, and one that cannot decode is
// terminated at once (it never will).
func (j *jsTransport) settle(c *consumer, msg jetstream.Msg, delivered uint64, err error) {
	var de *decodeError
	switch {
	case err == nil:
		err = msg.Ack()
	case errors.As(err, &de), delivered >= uint64(j.cfg.MaxDeliver):
		j.bus.logger().Error("bus: JetStream message given up", "pattern", c.pattern, "subject", msg.Subject(), "deliveries", delivered, "err", err)
		err = msg.Term()
	default:
		err = msg.NakWithDelay(failedRetry)
	}
	if err != nil {
		j.bus.logger().Warn("bus: JetStream acknowledgement", "pattern", c.pattern, "subject", msg.Subject(), "err", err)
	}
}

// drain stops pulling (what the client holds still reaches the mailboxes)
// and drains the request subscriptions.
func (j *jsTransport) drain() error {
	j.mu.Lock()
	ccs := j.consumes
	j.consumes = nil
	j.mu.Unlock()
	for _, cc := range ccs {
		cc.Drain()
	}
	err := j.natsTransport.drain()
	timeout := time.After(DefaultTimeout)
	for _, cc := range ccs {
		select {
		case <-cc.Closed():
		case <-timeout:
			return errors.Join(err, errors.New("bus: draining JetStream consumers timed out"))
		}
	}
	return err
}
