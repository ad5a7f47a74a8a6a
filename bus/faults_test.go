package bus

// The fault suite: the bus against a nats-server restarted under traffic,
// a consumer process killed with SIGKILL mid-stream, a stalled consumer and
// expired Sends, on core NATS and on JetStream. Each test logs its figures
// (go test ./bus -run TestFault -v); RELIABILITY.md records them and
// docs/bus.md's table of guarantees rests on what they assert.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// faultNATS are the reconnect settings of the suite's buses: retry at
// once and for ever, so an outage's length is the server's.
func faultNATS() Option {
	return WithNATS(nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond), nats.ReconnectJitter(0, 0))
}

// faultJS is the suite's JetStream configuration: a short AckWait so a
// killed consumer's messages come back within the test's budget.
var faultJS = JetStreamConfig{AckWait: time.Second}

// ledger records, per message ID, whether its sender was told it was
// accepted (nil error) and how often a consumer handled it.
type ledger struct {
	mu      sync.Mutex
	acked   map[int]bool
	failed  map[int]error // the last error a sender got, when not acked
	handled map[int]int
	// deadline is each message's (last) sender deadline, and first when
	// it was first handled: a message its sender gave up on, handled
	// well after that, was delivered late.
	deadline, first map[int]time.Time
	// msgIDs is the idempotent consumers' record of the message IDs they
	// have handled; skipped counts the deliveries it turned away.
	msgIDs  map[string]bool
	skipped int
}

func newLedger() *ledger {
	return &ledger{acked: map[int]bool{}, failed: map[int]error{}, handled: map[int]int{}, deadline: map[int]time.Time{}, first: map[int]time.Time{}, msgIDs: map[string]bool{}}
}

func (l *ledger) sent(ctx context.Context, id int, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.deadline[id], _ = ctx.Deadline()
	if err == nil {
		l.acked[id] = true
		delete(l.failed, id)
		return
	}
	l.failed[id] = err
}

// handleOnce is an idempotent consumer's effect: a message whose ID was
// handled already is skipped (and counted).
func (l *ledger) handleOnce(id int, msgID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if msgID != "" {
		if l.msgIDs[msgID] {
			l.skipped++
			return
		}
		l.msgIDs[msgID] = true
	}
	if l.handled[id] == 0 {
		l.first[id] = time.Now()
	}
	l.handled[id]++
}

// consume is a consumer of orders that records them in l; on JetStream
// it is idempotent, keyed on the message ID.
func (l *ledger) consume(ctx context.Context, o order) error {
	l.handleOnce(o.ID, MessageID(ctx))
	return nil
}

func (l *ledger) count(id int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.handled[id]
}

// figures are what a fault costs.
type figures struct {
	sent, acked, lost, duplicated, failedButHandled, late, skipped int
}

// lateBy is how long after its sender's deadline a message that failed
// counts as delivered late: more than the time a message accepted just
// before the deadline takes to be handled by a consumer that keeps up.
const lateBy = 100 * time.Millisecond

func (l *ledger) figures() figures {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := figures{skipped: l.skipped}
	for id := range l.acked {
		if id < 0 {
			continue // a fence
		}
		f.sent++
		f.acked++
		if l.handled[id] == 0 {
			f.lost++
		}
	}
	for id := range l.failed {
		if id >= 0 {
			f.sent++
		}
	}
	for id, n := range l.handled {
		if id < 0 {
			continue
		}
		if n > 1 {
			f.duplicated++
		}
		if !l.acked[id] {
			f.failedButHandled++
			if d := l.deadline[id]; !d.IsZero() && l.first[id].Sub(d) > lateBy {
				f.late++
			}
		}
	}
	return f
}

func (f figures) String() string {
	return fmt.Sprintf("sent %d, acknowledged %d, lost %d (acknowledged, never handled), duplicated %d (handled more than once), failed but handled %d (of them %d more than %v after the sender's deadline), redeliveries of handled messages skipped by message ID %d", f.sent, f.acked, f.lost, f.duplicated, f.failedButHandled, f.late, lateBy, f.skipped)
}

// The consumer process of the SIGKILL tests: the test binary run again
// with KK_BUS_FAULT_CHILD set to a NATS URL. It consumes fault.work and
// writes "h ID" on stdout for each message it has handled, before the
// consumer returns (so before any acknowledgement).
func TestFaultChild(t *testing.T) {
	url := os.Getenv("KK_BUS_FAULT_CHILD")
	if url == "" {
		return // only as a child
	}
	opts := []Option{faultNATS()}
	if os.Getenv("KK_BUS_FAULT_JS") != "" {
		opts = append(opts, WithJetStream(faultJS))
	}
	b, err := Connect(url, opts...)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	err = Consume(b, "fault.work", func(ctx context.Context, o order) error {
		time.Sleep(200 * time.Microsecond) // the work, slower than the sender: the mailbox fills
		mu.Lock()
		fmt.Fprintf(out, "h %d %s\n", o.ID, MessageID(ctx)) // its effect, as the consumer returns
		out.Flush()
		mu.Unlock()
		return nil
	})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	select {}
}

// startChild runs the consumer process and feeds what it handled into l;
// the returned channel closes once its stdout is at its end.
func startChild(t *testing.T, url string, js bool, l *ledger) (*exec.Cmd, <-chan struct{}) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestFaultChild$")
	cmd.Env = append(os.Environ(), "KK_BUS_FAULT_CHILD="+url)
	if js {
		cmd.Env = append(cmd.Env, "KK_BUS_FAULT_JS=1")
	}
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ready := make(chan error, 1)
	eof := make(chan struct{})
	go func() {
		defer close(eof)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "ready":
				ready <- nil
			case strings.HasPrefix(line, "error "):
				ready <- errors.New(line)
			case strings.HasPrefix(line, "h "):
				f := strings.Fields(line)
				if id, err := strconv.Atoi(f[1]); err == nil {
					l.handleOnce(id, strings.Join(f[2:], ""))
				}
			}
		}
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatal(err)
		}
	case <-eof:
		t.Fatal("the consumer process ended before it was ready")
	case <-time.After(30 * time.Second):
		t.Fatal("the consumer process did not start")
	}
	return cmd, eof
}

// TestFaultSIGKILLConsumer sends 3,000 messages to a consumer of which
// two processes run, and kills one (SIGKILL) after 1,000: on core NATS the
// Sends its mailbox had acknowledged are lost; on JetStream every
// acknowledged message is handled (the other process gets the killed
// one's after AckWait), each once.
func TestFaultSIGKILLConsumer(t *testing.T) {
	for _, js := range []bool{false, true} {
		t.Run(map[bool]string{false: "core", true: "jetstream"}[js], func(t *testing.T) {
			ts := startServer(t, js)
			l := newLedger()
			opts := []Option{faultNATS()}
			if js {
				opts = append(opts, WithJetStream(faultJS))
			}
			child, eof := startChild(t, ts.url(), js, l)
			survivor, err := Connect(ts.url(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer survivor.Close()
			if err := Consume(survivor, "fault.work", l.consume); err != nil {
				t.Fatal(err)
			}
			sender, err := Connect(ts.url(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer sender.Close()

			const total, killAt = 3000, 1000
			for id := range total {
				if id == killAt {
					child.Process.Signal(syscall.SIGKILL)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				if js {
					ctx = WithMessageID(ctx, "work-"+strconv.Itoa(id))
				}
				l.sent(ctx, id, sender.Send(ctx, "fault.work", order{ID: id}))
				cancel()
			}
			<-eof // all the killed process said it handled
			if js {
				settled(t, survivor, "fault.work")
			} else {
				// The survivor handles its mailbox in order: once a
				// request behind the last Send is answered, it is done.
				if _, err := Request[struct{}](ctxTimeout(t, 10*time.Second), sender, "fault.work", order{ID: -1}); err != nil {
					t.Fatal(err)
				}
			}
			f := l.figures()
			t.Logf("FIGURE SIGKILL %s: %v; redelivered %d", t.Name(), f, survivor.Stats().Redelivered)
			if f.acked < total-killAt {
				t.Errorf("only %d of %d Sends acknowledged", f.acked, total)
			}
			if js && (f.lost != 0 || f.duplicated != 0) {
				t.Errorf("JetStream lost %d and duplicated %d acknowledged messages across a SIGKILL, want 0 and 0", f.lost, f.duplicated)
			}
			if !js && f.duplicated != 0 {
				t.Errorf("core NATS handled %d Sends twice", f.duplicated)
			}
		})
	}
}

// TestFaultHungConsumer stops the only consumer process (SIGSTOP: alive,
// subscribed, not reading). Each Send to it waits until its deadline and
// returns ErrTimeout; once the process runs again, the expired Sends
// reach it and are not run.
func TestFaultHungConsumer(t *testing.T) {
	ts := startServer(t, false)
	l := newLedger()
	child, _ := startChild(t, ts.url(), false, l)
	sender, err := Connect(ts.url())
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	if err := child.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	// The signal takes effect a moment later: wait until the kernel says
	// the process is stopped ("T" in /proc/PID/stat).
	stat := fmt.Sprintf("/proc/%d/stat", child.Process.Pid)
	waitFor(t, "the consumer process to stop", func() bool {
		b, err := os.ReadFile(stat)
		if err != nil {
			return false
		}
		i := strings.LastIndexByte(string(b), ')')
		return i > 0 && i+2 < len(b) && b[i+2] == 'T'
	})
	const deadline = 200 * time.Millisecond
	var worst time.Duration
	for id := range 5 {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		start := time.Now()
		err := sender.Send(ctx, "fault.work", order{ID: id})
		cancel()
		l.sent(ctx, id, err)
		worst = max(worst, time.Since(start))
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("Send to a hung consumer = %v, want ErrTimeout", err)
		}
	}
	child.Process.Signal(syscall.SIGCONT)
	ctx := ctxTimeout(t, 10*time.Second)
	if err := sender.Send(ctx, "fault.work", order{ID: 99}); err != nil {
		t.Fatal(err)
	}
	l.sent(ctx, 99, nil)
	waitFor(t, "the resumed consumer", func() bool { return l.count(99) == 1 })
	f := l.figures()
	t.Logf("FIGURE hung consumer: 5 Sends with a %v deadline, slowest returned after %v; %d of them handled once the process resumed", deadline, worst.Round(time.Millisecond), f.failedButHandled)
	if worst > deadline+500*time.Millisecond {
		t.Errorf("a Send to a hung consumer took %v, want about its deadline %v", worst, deadline)
	}
	if f.failedButHandled != 0 {
		t.Errorf("%d expired Sends were handled after the consumer resumed", f.failedButHandled)
	}
}

// TestFaultNATSRestart restarts nats-server (down 500 ms) under Publish,
// Send and Request traffic. Which client reconnects first decides what
// happens to messages sent meanwhile, so core NATS runs both ways. Core
// NATS: acknowledged Sends are all handled, none that timed out is handled
// late (held in the sender's reconnect buffer, it reaches the consumer
// after its deadline: dropped unrun), every disconnect and reconnect is
// logged; published messages may be lost (figure). JetStream, with message
// IDs and retries until acknowledged: nothing acknowledged lost, nothing
// handled twice.
func TestFaultNATSRestart(t *testing.T) {
	for _, tc := range []struct {
		name        string
		js          bool
		senderFirst bool
	}{{"core/consumer-first", false, false}, {"core/sender-first", false, true}, {"jetstream", true, false}} {
		t.Run(tc.name, func(t *testing.T) {
			js := tc.js
			ts := startServer(t, js)
			var consumerLogs, senderLogs logBuffer
			slow := WithNATS(nats.ReconnectWait(150 * time.Millisecond))
			consumerOpts, senderOpts := []Option{faultNATS()}, []Option{faultNATS(), slow}
			if tc.senderFirst {
				consumerOpts, senderOpts = senderOpts, consumerOpts
			}
			if js {
				consumerOpts = append(consumerOpts, WithJetStream(faultJS))
				senderOpts = append(senderOpts, WithJetStream(faultJS))
			}
			consumer, err := Connect(ts.url(), append(consumerOpts, WithLogger(consumerLogs.logger()))...)
			if err != nil {
				t.Fatal(err)
			}
			defer consumer.Close()
			sender, err := Connect(ts.url(), append(senderOpts, WithLogger(senderLogs.logger()))...)
			if err != nil {
				t.Fatal(err)
			}
			defer sender.Close()
			pubs, sends := newLedger(), newLedger()
			fence := make(chan struct{}, 1)
			if err := Consume(consumer, "fault.pub", func(ctx context.Context, o order) error {
				if o.ID < 0 {
					fence <- struct{}{}
				}
				return pubs.consume(ctx, o)
			}); err != nil {
				t.Fatal(err)
			}
			if err := Consume(consumer, "fault.send", sends.consume); err != nil {
				t.Fatal(err)
			}
			if err := Reply(consumer, "fault.req", func(_ context.Context, o order) (order, error) { return o, nil }); err != nil {
				t.Fatal(err)
			}

			// Each loop sends one message after another until stop;
			// on JetStream a message is retried (same message ID)
			// until it is acknowledged.
			var stop atomic.Bool
			var reqOK, reqFailed, sendTimeouts atomic.Int64
			var wg sync.WaitGroup
			deliver := func(l *ledger, op func(context.Context, string, any) error, subj string) {
				defer wg.Done()
				for id := 0; !stop.Load(); id++ {
					for try := 0; ; try++ {
						ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
						if js {
							ctx = WithMessageID(ctx, subj+"-"+strconv.Itoa(id))
						}
						err := op(ctx, subj, order{ID: id})
						cancel()
						l.sent(ctx, id, err)
						if errors.Is(err, ErrTimeout) && subj == "fault.send" {
							sendTimeouts.Add(1)
						}
						if subj == "fault.pub" {
							// Paced: the consumer keeps up, so what
							// is lost is the outage's doing, not a
							// slow consumer's.
							time.Sleep(200 * time.Microsecond)
						}
						if err == nil || !js || try == 50 {
							break
						}
						time.Sleep(20 * time.Millisecond) // a caller's retry pause
					}
				}
			}
			wg.Add(3)
			go deliver(pubs, sender.Publish, "fault.pub")
			go deliver(sends, sender.Send, "fault.send")
			go func() {
				defer wg.Done()
				for id := 0; !stop.Load(); id++ {
					ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
					r, err := Request[order](ctx, sender, "fault.req", order{ID: id})
					cancel()
					if err == nil && r.ID == id {
						reqOK.Add(1)
					} else {
						reqFailed.Add(1)
					}
				}
			}()
			waitFor(t, "traffic before the restart", func() bool { return sends.count(200) > 0 })
			start := time.Now()
			ts.restart(500 * time.Millisecond)
			waitFor(t, "traffic after the restart", func() bool {
				return consumer.Stats().Reconnects > 0 && sender.Stats().Reconnects > 0 && reqOK.Load() > 0 && time.Since(start) > time.Second
			})
			before := reqOK.Load()
			waitFor(t, "requests after the restart", func() bool { return reqOK.Load() > before+100 })
			stop.Store(true)
			wg.Wait()

			if js {
				settled(t, consumer, "fault.pub")
				settled(t, consumer, "fault.send")
			} else {
				// Everything sent went before these fences on the
				// same subscriptions, handled in order.
				if err := sender.Publish(ctxTimeout(t, 5*time.Second), "fault.pub", order{ID: -1}); err != nil {
					t.Fatal(err)
				}
				select {
				case <-fence:
				case <-time.After(10 * time.Second):
					t.Fatal("the fence publish was not handled")
				}
				if _, err := Request[struct{}](ctxTimeout(t, 10*time.Second), sender, "fault.send", order{ID: -1}); err != nil {
					t.Fatal(err)
				}
			}
			pf, sf := pubs.figures(), sends.figures()
			t.Logf("FIGURE restart %s: Publish: %v", t.Name(), pf)
			t.Logf("FIGURE restart %s: Send: %v; of them ErrTimeout %d", t.Name(), sf, sendTimeouts.Load())
			t.Logf("FIGURE restart %s: Request: %d answered, %d failed; consumer stats %+v; sender stats %+v", t.Name(), reqOK.Load(), reqFailed.Load(), consumer.Stats(), sender.Stats())
			if sf.lost != 0 {
				t.Errorf("%d acknowledged Sends were never handled", sf.lost)
			}
			if sf.late != 0 {
				t.Errorf("%d Sends that returned an error were handled more than %v after their deadline", sf.late, lateBy)
			}
			if js && (pf.lost != 0 || pf.duplicated != 0 || sf.duplicated != 0) {
				t.Errorf("JetStream: Publish lost %d, duplicated %d; Send duplicated %d; want 0", pf.lost, pf.duplicated, sf.duplicated)
			}
			for name, b := range map[string]*Bus{"consumer": consumer, "sender": sender} {
				if s := b.Stats(); s.Disconnects == 0 || s.Reconnects == 0 {
					t.Errorf("%s stats %+v: the disconnect and reconnect were not counted", name, s)
				}
			}
			for name, logs := range map[string]string{"consumer": consumerLogs.String(), "sender": senderLogs.String()} {
				if !strings.Contains(logs, "disconnected from NATS") || !strings.Contains(logs, "reconnected to NATS") {
					t.Errorf("the %s's disconnect and reconnect were not logged:\n%s", name, logs)
				}
			}
		})
	}
}

// TestFaultStalledConsumerMemory publishes 64 MB at a consumer that never
// returns: the process's heap grows by the pending limits (16 MiB per
// subscription, and the mailbox), the rest is dropped and reported.
// KK_BUS_FAULT_UNBOUNDED=1 lifts the limits, to measure what that costs.
func TestFaultStalledConsumerMemory(t *testing.T) {
	ts := startServer(t, false)
	opts := []Option{WithLogger(new(logBuffer).logger())}
	unbounded := os.Getenv("KK_BUS_FAULT_UNBOUNDED") != ""
	if unbounded {
		opts = append(opts, WithPendingLimits(-1, -1))
	}
	b, err := Connect(ts.url(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	if err := Consume(b, "fault.stall", func(context.Context, blob) error { <-release; return nil }); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	defer close(release)
	pub, err := Connect(ts.url())
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()

	// The heap after collections (two: sync.Pools keep their items one
	// collection longer). nats-server runs in this process too, so its
	// buffers count; its pools are what the second collection frees.
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	base := heap()
	const n = 128 * 1024 // × ~512 bytes: 64 MB
	msg := blob{Data: strings.Repeat("x", 500)}
	ctx := ctxTimeout(t, 60*time.Second)
	for range n {
		if err := pub.Publish(ctx, "fault.stall", msg); err != nil {
			t.Fatal(err)
		}
	}
	pub.Conn().Flush()
	waitFor(t, "every message to reach the consumer's process", func() bool { return b.Conn().Stats().InMsgs >= n })
	held := heap() - min(base, heap())
	s := b.Stats()
	t.Logf("FIGURE stalled consumer (unbounded=%v): %d messages of %d bytes published (%d MiB); heap held %.1f MiB; dropped %d; slow-consumer events %d", unbounded, n, len(msg.Data)+12, n*512>>20, float64(held)/(1<<20), s.Dropped, s.SlowConsumers)
	if !unbounded {
		if held > 40<<20 {
			t.Errorf("a stalled consumer made its process hold %.1f MiB, want it bounded by the pending limits (16 MiB and the mailbox)", float64(held)/(1<<20))
		}
		if s.Dropped == 0 || s.SlowConsumers == 0 {
			t.Errorf("stats %+v: the dropped messages were not counted", s)
		}
	}
}

type blob struct {
	Data string `json:"data"`
}
