package kk

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/valyala/fasthttp"
)

// A Ctx is reused across requests without sync.Pool's cost on the common
// path. fasthttp serves all requests of a connection with one RequestCtx,
// used by one goroutine at a time, so a Ctx can stay bound to the
// RequestCtx it last served: a small direct-mapped table, indexed by the
// RequestCtx's address, remembers that binding, and a request whose
// RequestCtx finds its own Ctx there takes it with two loads. When another
// RequestCtx claims the slot, the displaced Ctx goes back to a sync.Pool
// as soon as it is released, so a server with more connections than slots
// still allocates nothing in the steady state.

const ctxSlots = 1 << 10

var (
	ctxTable [ctxSlots]atomic.Pointer[Ctx]
	ctxPool  = sync.Pool{New: func() any { return new(Ctx) }}
)

func ctxSlot(rc *fasthttp.RequestCtx) *atomic.Pointer[Ctx] {
	// RequestCtx values are several KB apart; the low bits say nothing.
	return &ctxTable[(uintptr(unsafe.Pointer(rc))>>10)%ctxSlots]
}

// cachedCtx is the Ctx bound to rc, or a pooled one that it binds. A
// router served again on the same RequestCtx from inside a handler (a
// mounted sub-router) finds the bound Ctx busy and gets a pooled one of
// its own.
func cachedCtx(rc *fasthttp.RequestCtx) *Ctx {
	slot := ctxSlot(rc)
	c := slot.Load()
	if c != nil && c.owner.Load() == rc {
		if !c.busy {
			c.busy = true
			return c
		}
		c = ctxPool.Get().(*Ctx) // re-entered: stay unbound
		c.busy = true
		return c
	}
	c = ctxPool.Get().(*Ctx)
	c.busy = true
	c.owner.Store(rc)
	slot.Store(c)
	return c
}

// uncacheCtx returns c to the pool unless it is still bound in its slot, in
// which case it stays there for its RequestCtx's next request.
func uncacheCtx(c *Ctx, rc *fasthttp.RequestCtx) {
	c.busy = false
	if owner := c.owner.Load(); owner == nil || ctxSlot(owner).Load() != c {
		c.owner.Store(nil)
		ctxPool.Put(c)
	}
}
