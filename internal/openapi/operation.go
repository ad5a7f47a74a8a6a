package openapi

import (
	"encoding/json"
	"sort"
	"strconv"

	"github.com/kommandkit/kk/internal/model"
)

// operation describes one route; nil for routes the document leaves out
// (//kk:static file trees).
func (d *doc) operation(r model.Route) obj {
	if r.Static != nil {
		return nil
	}
	op := obj{"operationId": d.operationID(r)}
	op["summary"] = r.Doc.Summary
	if r.Doc.Summary == "" {
		op["summary"] = model.FuncName(r.Recv, r.Func) // undocumented: the handler's name
	}
	if r.Doc.Description != "" && r.Doc.Description != r.Doc.Summary {
		op["description"] = r.Doc.Description
	}
	if r.Recv != "" {
		op["tags"] = []any{r.Recv}
	}
	if params := d.parameters(r); len(params) > 0 {
		op["parameters"] = params
	}
	if body := d.requestBody(r); body != nil {
		op["requestBody"] = body
	}
	if r.Kind == model.WebSocketRoute {
		op["x-kk-websocket"] = true
	}
	if schemes := d.security(r); len(schemes) > 0 {
		req := obj{}
		for _, s := range schemes {
			req[s] = []any{}
		}
		op["security"] = []any{req}
	} else {
		op["security"] = []any{} // said outright: this route needs no credentials
	}
	op["responses"] = d.responses(r)
	return op
}

// security names the //kk:security schemes of the middleware wrapping r.
func (d *doc) security(r model.Route) []string {
	var out []string
	seen := map[string]bool{}
	for _, mw := range r.Middleware {
		if _, ok := d.m.Security[mw]; ok && !seen[mw] {
			seen[mw] = true
			out = append(out, mw)
		}
	}
	return out
}

// parameters lists the path, query, header and cookie values r binds, in
// the handler's order and, for an input struct, its fields' order.
func (d *doc) parameters(r model.Route) []any {
	var out []any
	add := func(name string, src model.Source, required bool, sc *model.Schema, s model.Scalar, doc string, def string, hasDef bool, cons model.Constraints) {
		in := ""
		switch src {
		case model.FromPath:
			in, required = "path", true
		case model.FromQuery:
			in = "query"
		case model.FromHeader:
			in = "header"
		case model.FromCookie:
			in = "cookie"
		default:
			return
		}
		schema := d.valueSchema(sc, s, cons)
		if hasDef {
			schema["default"] = defaultValue(s, def)
		}
		p := obj{"name": name, "in": in, "schema": schema}
		if required {
			p["required"] = true
		}
		if doc != "" {
			p["description"] = doc
		}
		out = append(out, p)
	}
	for _, a := range r.Args {
		if a.Source == model.FromStruct && a.Struct != nil {
			for _, f := range a.Struct.Fields {
				add(f.Key, f.Source, f.Required, f.Schema, f.Value, f.Doc, f.Default, f.HasDef, f.Constraints)
			}
			continue
		}
		add(a.Key, a.Source, false, a.Schema, a.Value, "", "", false, model.Constraints{})
	}
	return out
}

// valueSchema is the schema of one bound value: its type's shape, or the
// text the binder parses when that differs from the type's JSON: a
// time.Duration as Go writes it (300ms), a time.Time in RFC 3339, and a
// value decoded by its own UnmarshalText, a string.
func (d *doc) valueSchema(sc *model.Schema, s model.Scalar, cons model.Constraints) obj {
	if sc == nil {
		sc = &model.Schema{Kind: model.StringSchema}
	}
	plain := *sc
	plain.Nullable = false // a bound value is absent, never null
	text := func() *model.Schema {
		switch s.Decoder {
		case model.DecodeBytes:
			if !s.Slice {
				return &model.Schema{Kind: model.StringSchema}
			}
		case model.DecodeText, model.DecodeDuration:
			return &model.Schema{Kind: model.StringSchema}
		case model.DecodeTime:
			return &model.Schema{Kind: model.StringSchema, Format: "date-time"}
		}
		return nil
	}()
	if text != nil {
		if s.Slice && plain.Kind == model.ArraySchema {
			plain.Items = text
		} else if !s.Slice {
			plain = *text
		}
	}
	out := d.fieldSchema(plain, cons, "")
	if s.Decoder == model.DecodeDuration {
		dur := out
		if s.Slice {
			dur, _ = out["items"].(obj)
		}
		if dur != nil {
			dur["description"] = "a Go duration: decimal numbers, each with a unit (ns, us, ms, s, m, h), such as 300ms or 1h30m"
			if cons.Example == "" {
				d.example(dur, `"300ms"`)
			}
		}
	}
	return out
}

// defaultValue is a default:"..." tag as the JSON value it decodes to.
func defaultValue(s model.Scalar, def string) any {
	switch s.Decoder {
	case model.DecodeInt:
		if n, err := strconv.ParseInt(def, 10, 64); err == nil {
			return json.Number(strconv.FormatInt(n, 10))
		}
	case model.DecodeUint:
		if n, err := strconv.ParseUint(def, 10, 64); err == nil {
			return json.Number(strconv.FormatUint(n, 10))
		}
	case model.DecodeFloat:
		if f, err := strconv.ParseFloat(def, 64); err == nil {
			return f
		}
	case model.DecodeBool:
		b, err := strconv.ParseBool(def)
		if err == nil {
			return b
		}
	}
	return def
}

// requestBody describes what r reads from the body: JSON, a form (with
// file parts as binary), or bytes.
func (d *doc) requestBody(r model.Route) obj {
	for _, a := range r.Args {
		switch a.Source {
		case model.FromJSON:
			return obj{"required": true, "content": obj{"application/json": obj{"schema": d.schema(*a.Schema)}}}
		case model.FromRawBody, model.FromReader:
			return obj{"required": true, "content": obj{"application/octet-stream": obj{"schema": binary()}}}
		case model.FromStruct:
			if a.Struct == nil || !a.Struct.Form {
				continue
			}
			props, required, files := obj{}, []any{}, false
			for _, f := range a.Struct.Fields {
				if f.Source != model.FromForm {
					continue
				}
				var s obj
				switch {
				case f.Value.File && f.Value.Slice:
					s, files = obj{"type": "array", "items": binary()}, true
				case f.Value.File:
					s, files = binary(), true
				default:
					s = d.valueSchema(f.Schema, f.Value, f.Constraints)
					if f.HasDef {
						s["default"] = defaultValue(f.Value, f.Default)
					}
				}
				if f.Doc != "" {
					s["description"] = f.Doc
				}
				props[f.Key] = s
				if f.Required {
					required = append(required, f.Key)
				}
			}
			schema := obj{"type": "object", "properties": props}
			if len(required) > 0 {
				schema["required"] = required
			}
			content := obj{"multipart/form-data": obj{"schema": schema}}
			if !files {
				content["application/x-www-form-urlencoded"] = obj{"schema": schema}
			}
			return obj{"required": true, "content": content}
		}
	}
	return nil
}

func binary() obj { return obj{"type": "string", "format": "binary"} }

// responses lists every status r can answer.
func (d *doc) responses(r model.Route) obj {
	out := obj{}
	success := r.Status
	switch {
	case r.Kind == model.WebSocketRoute:
		out["101"] = obj{"description": "Switching Protocols: the connection is a WebSocket"}
	case r.Kind == model.EventStreamRoute:
		out["200"] = obj{"description": "A stream of server-sent events", "content": obj{"text/event-stream": d.eventStream()}}
	default:
		if success == 0 {
			success = 200
			if r.Result == model.NoResult || r.Result == model.ErrOnly {
				success = 204 // an empty 200 answers 204
			}
		}
		resp := obj{"description": statusText(success)}
		if content := d.resultContent(r); content != nil && success != 204 && success != 304 && r.Method != "HEAD" {
			resp["content"] = content
		}
		out[strconv.Itoa(success)] = resp
	}
	binds, invalid, body := false, false, false
	for _, a := range r.Args {
		switch a.Source {
		case model.FromWebSocket, model.FromEventStream:
			continue
		case model.FromJSON, model.FromRawBody, model.FromReader:
			body = true
		case model.FromStruct:
			if a.Struct != nil {
				body = body || a.Struct.Form
				for _, f := range a.Struct.Fields {
					invalid = invalid || f.Required || !f.Constraints.Empty()
				}
			}
		}
		binds = true
		invalid = invalid || a.Validate || a.Checks != nil
	}
	if binds {
		d.problem(out, 400, "The request is malformed: a value does not decode")
	}
	if invalid {
		d.problem(out, 422, "The request is invalid: the problem lists each field")
	}
	if body {
		d.problem(out, 413, "The request body is over the route's limit")
	}
	if len(d.security(r)) > 0 {
		d.problem(out, 401, "The request lacks valid credentials")
	}
	if r.Timeout > 0 {
		d.problem(out, 503, "The handler did not finish within its timeout")
	}
	if r.Result == model.ErrOnly || r.Result == model.ValueErr {
		var statuses []int
		for _, e := range d.m.Errors {
			statuses = append(statuses, e.Status)
		}
		sort.Ints(statuses)
		for _, s := range statuses {
			d.problem(out, s, statusText(s))
		}
		d.problem(out, 500, "The handler failed")
	}
	return out
}

// problem adds status to out with the problem-details body, unless an
// //kk:errorhandler writes that status's body (then its shape is the
// handler's).
func (d *doc) problem(out obj, status int, desc string) {
	key := strconv.Itoa(status)
	if _, ok := out[key]; ok {
		return
	}
	if d.handled[status] {
		out[key] = obj{"description": desc + " (written by an //kk:errorhandler)"}
		return
	}
	out[key] = obj{"description": desc, "content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}
}

// resultContent is the body of r's success answer.
func (d *doc) resultContent(r model.Route) obj {
	if r.Result != model.Value && r.Result != model.ValueErr {
		return nil
	}
	switch r.Encoding {
	case model.EncodeText:
		return obj{"text/plain; charset=utf-8": obj{"schema": obj{"type": "string"}}}
	case model.EncodeBytes, model.EncodeStream:
		return obj{"application/octet-stream": obj{"schema": binary()}}
	}
	if r.ResultSchema == nil {
		return obj{"application/json": obj{}}
	}
	return obj{"application/json": obj{"schema": d.schema(*r.ResultSchema)}}
}

// eventStream describes text/event-stream: in 3.2 each event through
// itemSchema; before 3.2 the stream as a string, with each event's shape
// in an x-kk-itemSchema extension.
func (d *doc) eventStream() obj {
	item := obj{
		"type":        "object",
		"description": "One server-sent event",
		"properties": obj{
			"data":  obj{"type": "string"},
			"event": obj{"type": "string"},
			"id":    obj{"type": "string"},
			"retry": obj{"type": "integer", "minimum": 0},
		},
		"required": []any{"data"},
	}
	if d.v32 {
		return obj{"itemSchema": item}
	}
	return obj{
		"schema":          obj{"type": "string", "description": "Server-sent events (text/event-stream): lines of event, data, id and retry fields, each event ended by a blank line"},
		"x-kk-itemSchema": item,
	}
}
