package kk

import (
	"math"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
	"golang.org/x/time/rate"
)

// RateLimitConfig configures RateLimit: a token bucket per key, refilled
// at Rate tokens a second up to Burst, each request taking one.
type RateLimitConfig struct {
	// Rate is how many requests a second one key may make in the long
	// run; Burst how many it may make at once. Both are required.
	Rate  float64
	Burst int

	// Key names the bucket a request takes from: the user's ID, an API
	// key, a tenant. Nil means the client's IP (Ctx.ClientIP, which
	// believes only the server's TrustedProxies); a request that has none
	// (a unix-socket peer) shares one bucket. A key of "" is not limited.
	Key func(c *Ctx) string

	// MaxKeys bounds the buckets kept (10,000 when zero): past it, those
	// unused the longest are forgotten, and such a key starts again with
	// a full bucket. It bounds what a flood of distinct keys (spoofed
	// addresses, made-up API keys) can make the server hold.
	MaxKeys int
}

// DefaultRateLimitKeys is RateLimitConfig.MaxKeys when zero.
const DefaultRateLimitKeys = 10_000

// RateLimit limits each key (by default each client IP) to cfg.Rate
// requests a second with bursts of cfg.Burst, on golang.org/x/time/rate
// token buckets. A request over the limit is not served: it answers 429
// with a problem body and Retry-After, the whole seconds until the
// bucket has a token again. Use it on the router (Router.Use) for one
// limit across every route, or on a group of routes (//kk:use).
func RateLimit(cfg RateLimitConfig) Middleware {
	if cfg.Rate <= 0 || cfg.Burst <= 0 {
		panic("kk: RateLimit needs a positive Rate and Burst")
	}
	maxKeys := cfg.MaxKeys
	if maxKeys <= 0 {
		maxKeys = DefaultRateLimitKeys
	}
	limit := rate.Limit(cfg.Rate)
	byIP := newBuckets[netip.Addr](limit, cfg.Burst, maxKeys)
	byKey := newBuckets[string](limit, cfg.Burst, maxKeys)
	return func(next Handler) Handler {
		return func(c *Ctx) error {
			var lim *rate.Limiter
			if cfg.Key == nil {
				lim = byIP.get(c.ClientIP())
			} else if k := cfg.Key(c); k != "" {
				lim = byKey.get(k)
			} else {
				return next(c)
			}
			now := time.Now()
			r := lim.ReserveN(now, 1)
			if wait := r.DelayFrom(now); wait > 0 {
				r.CancelAt(now)
				secs := int(math.Ceil(wait.Seconds()))
				c.Response.Header.Set(fasthttp.HeaderRetryAfter, strconv.Itoa(secs))
				return &StatusError{Status: fasthttp.StatusTooManyRequests,
					Msg: "rate limit exceeded; retry in " + strconv.Itoa(secs) + " s"}
			}
			return next(c)
		}
	}
}

// buckets is a bounded map of token buckets in two generations: lookups
// fill the current one, and when it holds half the bound it becomes the
// previous one, whose keys move back to the new current on their next
// use. What is left in the previous generation when it is dropped is
// what has not been used for the longest.
type buckets[K comparable] struct {
	mu         sync.Mutex
	cur, prev  map[K]*rate.Limiter
	limit      rate.Limit
	burst, max int
}

func newBuckets[K comparable](limit rate.Limit, burst, maxKeys int) *buckets[K] {
	return &buckets[K]{cur: map[K]*rate.Limiter{}, limit: limit, burst: burst, max: max(maxKeys/2, 1)}
}

func (b *buckets[K]) get(k K) *rate.Limiter {
	b.mu.Lock()
	defer b.mu.Unlock()
	if l, ok := b.cur[k]; ok {
		return l
	}
	l, ok := b.prev[k]
	if ok {
		delete(b.prev, k)
	} else {
		l = rate.NewLimiter(b.limit, b.burst)
	}
	if len(b.cur) >= b.max {
		b.prev, b.cur = b.cur, make(map[K]*rate.Limiter, b.max)
	}
	b.cur[k] = l
	return l
}

// len is how many buckets are kept, for tests.
func (b *buckets[K]) len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.cur) + len(b.prev)
}
