package kk

import "time"

// SetHeartbeat shortens the event streams' heartbeat for a test and
// returns the func that restores it.
func SetHeartbeat(d time.Duration) (restore func()) {
	old := heartbeat
	heartbeat = d
	return func() { heartbeat = old }
}
