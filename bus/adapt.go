package bus

import "context"

// NoCtx adapts a consumer func that takes no context to Consume's shape:
// bus.Consume(b, "orders.created", bus.NoCtx(Ship)). kkgen emits it for
// //kk:consumer funcs without a context.Context parameter.
func NoCtx[T any](fn func(T) error) func(context.Context, T) error {
	return func(_ context.Context, v T) error { return fn(v) }
}

// NoCtxReply is NoCtx for Reply: bus.Reply(b, "quotes.get", bus.NoCtxReply(Quote)).
func NoCtxReply[T, R any](fn func(T) (R, error)) func(context.Context, T) (R, error) {
	return func(_ context.Context, v T) (R, error) { return fn(v) }
}
