package check

import (
	"go/types"
	"regexp"
	"strings"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/httpmethod"
	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
)

// methodRE accepts upper-case HTTP method tokens: the registered methods
// and the extension methods a package may declare, such as M-SEARCH.
var methodRE = regexp.MustCompile(`^[A-Z][A-Z0-9_-]*$`)

// bodyless methods take no request body unless the func says //kk:allowbody.
var bodyless = map[string]bool{"GET": true, "HEAD": true, "DELETE": true}

// route checks one //kk:route METHOD PATTERN [STATUS].
func (c *checker) route(d directive.Directive) {
	method, raw := d.Args[0], d.Args[1]
	ok := true
	if !methodRE.MatchString(method.Text) {
		if up := strings.ToUpper(method.Text); up != method.Text && (httpmethod.Registered(up) || c.extMethods[up]) {
			c.diags.Addf(method.Pos, "method %q must be an upper-case HTTP method (did you mean %s?)", method.Text, up)
		} else {
			c.diags.Addf(method.Pos, "method %q must be an upper-case HTTP method such as GET or POST", method.Text)
		}
		ok = false
	} else if !c.knownMethod(method) { // methods.go
		ok = false
	}
	status := 0
	if len(d.Args) == 3 {
		s, good := c.status(d.Args[2], 100, 599)
		ok = ok && good
		status = s
	}
	fd, fn := c.funcTarget(d)
	grp := c.groups[d.File]
	pat, perrs := c.pattern(grp, raw)
	ok = ok && len(perrs) == 0
	if fd == nil {
		return
	}
	extra := c.funcDirectives[fd]
	r := model.Route{Method: method.Text, Pattern: pat, Func: fn.Name(), Recv: recvName(fn), Pos: d.Pos, Status: status,
		Middleware: append(append([]string(nil), grp.use...), extra.use...), Timeout: extra.timeout, BodyLimit: extra.bodyLimit}
	sig := fn.Type().(*types.Signature)
	if !c.results(sig, fn, &r) {
		ok = false
	}
	if (status == 204 || status == 304) && (r.Result == model.Value || r.Result == model.ValueErr) && !r.Response {
		c.diags.Addf(d.Args[2].Pos, "%s returns a value, but status %d sends no body; return nothing or error", funcName(fn), status)
		ok = false
	}
	if len(perrs) > 0 {
		return // binding by name needs a well-formed pattern
	}
	b := binder{checker: c, route: &r, fn: fn, pat: pat, params: newParamSet(pat)}
	ok = b.bindAll(sig) && ok
	ok = c.webSocketRoute(d, fn, sig, &r, &b) && ok
	for _, s := range b.params.unbound() {
		c.diags.Addf(grp.at(raw, s.Offset, s.Prefix), "pattern parameter %q has no parameter of that name in func %s", s.Text, funcName(fn))
		ok = false
	}
	ok = c.eventStreamRoute(d, &r, fn, b.body) && ok // eventstream.go
	if b.body != "" && bodyless[r.Method] && !extra.allowBody && r.Kind == model.HTTPRoute {
		c.diags.Addf(d.Pos, "%s %s takes a request body through %s, which %s requests should not have; add //kk:allowbody to %s to accept one anyway",
			r.Method, pat.Raw, b.body, r.Method, funcName(fn))
		ok = false
	}
	if ok {
		c.out.Routes = append(c.out.Routes, r)
		c.useReceiver(fn, true)
		for _, m := range r.Middleware {
			if mw := c.mwMethods[m]; mw != nil {
				c.useReceiver(mw, true)
			}
		}
	}
}

// pattern parses the route's pattern and joins it to the file's group
// prefix, placing each problem on the directive it came from.
func (c *checker) pattern(grp group, raw directive.Token) (pattern.Pattern, []pattern.Error) {
	pat, perrs := pattern.Parse(raw.Text)
	if len(perrs) == 0 {
		pat, perrs = pattern.Join(grp.prefix, pat)
	}
	for _, e := range perrs {
		c.diags.Addf(grp.at(raw, e.Offset, e.Prefix), "%s", e.Msg)
	}
	if n := len(pat.Params()); n > model.MaxParams {
		c.diags.Addf(raw.Pos, "pattern %q has %d parameters; at most %d are supported", pat.Raw, n, model.MaxParams)
		perrs = append(perrs, pattern.Error{})
	}
	return pat, perrs
}

// results checks the handler's results: none, error, T, or (T, error),
// where T may be a kk.Response[B].
func (c *checker) results(sig *types.Signature, fn *types.Func, r *model.Route) bool {
	res := sig.Results()
	bad := func() bool {
		c.diags.Addf(c.pos(fn.Pos()), "%s returns %s; a handler returns nothing, error, T, or (T, error)", funcName(fn), types.TypeString(res, c.qualifier))
		return false
	}
	var value types.Type
	switch {
	case res.Len() == 0:
		r.Result = model.NoResult
	case res.Len() == 1 && isError(res.At(0).Type()):
		r.Result = model.ErrOnly
	case res.Len() == 1:
		r.Result, value = model.Value, res.At(0).Type()
	case res.Len() == 2 && isError(res.At(1).Type()) && !isError(res.At(0).Type()):
		r.Result, value = model.ValueErr, res.At(0).Type()
	default:
		return bad()
	}
	if value == nil {
		return true
	}
	if n, ok := types.Unalias(value).(*types.Named); ok && isRuntime(n, "Response") && n.TypeArgs().Len() == 1 {
		r.Response, value = true, n.TypeArgs().At(0)
	}
	switch {
	case types.Identical(value, types.Typ[types.String]):
		r.Encoding = model.EncodeText
	case types.Identical(value, byteSlice):
		r.Encoding = model.EncodeBytes
	case types.Implements(value, ioReader) || types.Implements(types.NewPointer(value), ioReader) && !types.IsInterface(value):
		r.Encoding = model.EncodeStream
	default:
		r.Encoding = model.EncodeJSON
		if why := c.jsonProblem(value, false); why != "" {
			c.diags.Addf(c.pos(fn.Pos()), "%s returns %s, which cannot be encoded as JSON: %s", funcName(fn), types.TypeString(value, c.qualifier), why)
			return false
		}
	}
	return true
}
