package bus

import (
	"context"
	"errors"
)

// ErrNoResponders is returned by Send and Request when no consumer, in any
// connected process, matches the subject.
var ErrNoResponders = errors.New("bus: no responders")

// ErrTimeout is returned when a wait ends at the context's deadline (or at
// the 30 s default when the context has none): a Request without a reply,
// or a Send or Publish blocked on a full mailbox. errors.Is(ErrTimeout,
// context.DeadlineExceeded) holds, so callers testing either match.
var ErrTimeout error = timeoutError{}

// ErrClosed is returned by calls on a bus after Close.
var ErrClosed = errors.New("bus: closed")

// ErrInvalidSubject wraps every complaint about a malformed subject.
var ErrInvalidSubject = errors.New("bus: invalid subject")

type timeoutError struct{}

func (timeoutError) Error() string        { return "bus: timeout" }
func (timeoutError) Timeout() bool        { return true }
func (timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// RemoteError is a consumer's error returned to a Request: only its message
// travels (the same in process as on NATS), so match on Message, not on the
// consumer's error values.
type RemoteError struct {
	Subject string // the subject the request was sent to
	Message string // the consumer's err.Error()
}

func (e *RemoteError) Error() string { return "bus: consumer of " + e.Subject + ": " + e.Message }

// ctxErr is ErrTimeout for a context that hit its deadline, else its error
// (context.Canceled).
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != context.DeadlineExceeded {
		return err
	}
	return ErrTimeout
}
