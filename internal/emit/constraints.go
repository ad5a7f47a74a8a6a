package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kommandkit/kk/internal/model"
)

// Declared constraints (minimum, maxLength, pattern, enum, ...), checked
// after binding and before Validate. Every failing field is listed, each
// as a kk.FieldError appended to the binder's list, so one 422 names them
// all:
//
//	if len(kk.InputValue(c, kk.InQuery, "name")) > 0 {
//		if kk.RuneCount(string(v.Name)) > 10 {
//			missing = append(missing, kk.FieldError{Field: "name", In: "query", Message: "must have at most 10 characters"})
//		}
//	}
//
// Patterns are package-level vars (kkPattern, kkPattern2, ...), compiled
// once.

// inputChecked is the constraint check of an input-struct field, or false
// when it declares none.
func inputChecked(fl model.Field) (model.Checked, bool) {
	if fl.Constraints.Empty() || fl.Value.File {
		return model.Checked{}, false
	}
	kind := model.OtherValue
	switch fl.Value.Decoder {
	case model.DecodeString:
		kind = model.StringValue
	case model.DecodeInt:
		kind = model.IntValue
	case model.DecodeUint:
		kind = model.UintValue
	case model.DecodeFloat:
		kind = model.FloatValue
	}
	return model.Checked{Name: fl.Name, Key: fl.Key, In: fl.Source.Tag(), Kind: kind, Ptr: fl.Value.Ptr, Slice: fl.Value.Slice,
		Optional: fl.Value.Slice && !fl.Required, Constraints: fl.Constraints}, true
}

// inputChecks emits the checks of an input struct's fields. A field is
// checked only when the request holds it: a default satisfies its
// constraints by being chosen, and an absent required field is reported
// as missing, not again.
func inputChecks(g *jen.Group, n *names, in *model.Input, list string) {
	for _, fl := range in.Fields {
		ck, ok := inputChecked(fl)
		if !ok {
			continue
		}
		target := jen.Id(n.v).Dot(fl.Name)
		switch {
		case fl.Source == model.FromPath || fl.HasDef || ck.Ptr || ck.Slice:
			checkField(g, n, target, ck, list)
		default:
			g.If(jen.Len(jen.Qual(rt, "InputValue").Call(jen.Id(n.ctx), jen.Qual(rt, fl.Source.In()), jen.Lit(fl.Key))).Op(">").Lit(0)).BlockFunc(func(bg *jen.Group) {
				checkField(bg, n, target, ck, list)
			})
		}
	}
}

// bodyChecks emits, for each JSON body type with constraints, a func that
// checks a decoded body:
//
//	// kkCheckNewPet checks the declared constraints of a NewPet body.
//	func kkCheckNewPet(v *NewPet) error {
//		var missing []kk.FieldError
//		...
//		if len(missing) > 0 {
//			return kk.FieldErrors(missing)
//		}
//		return nil
//	}
func bodyChecks(f *jen.File, n *names) {
	for _, ck := range n.checks {
		name := n.checkers[ck.Type]
		f.Commentf("%s checks the declared constraints of a %s body.", name, typeName(n.pkg, ck.Type))
		f.Func().Id(name).Params(jen.Id(n.v).Op("*").Add(typeCode(ck.Type))).Error().BlockFunc(func(g *jen.Group) {
			g.Var().Id(n.missing).Index().Qual(rt, "FieldError")
			structChecks(g, n, jen.Id(n.v), ck, n.missing, nil, 1)
			g.If(jen.Len(jen.Id(n.missing)).Op(">").Lit(0)).Block(jen.Return(jen.Qual(rt, "FieldErrors").Call(jen.Id(n.missing))))
			g.Return(jen.Nil())
		})
	}
}

// patternVars declares the compiled patterns the checks use.
func patternVars(f *jen.File, n *names) {
	for _, p := range n.patternList {
		f.Var().Id(n.patterns[p]).Op("=").Qual(rt, "MustPattern").Call(jen.Lit(p))
	}
}

// checkField emits the checks of one field: its item count, then each
// value constraint on the value (or on each item of a slice).
func checkField(g *jen.Group, n *names, target *jen.Statement, ck model.Checked, list string, at ...pathPart) {
	c := ck.Constraints
	fail := func(g *jen.Group, msg string) {
		fe := []jen.Code{jen.Id("Field").Op(":").Add(pathExpr(append(at, pathPart{lit: ck.Key})))}
		if ck.In != "" {
			fe = append(fe, jen.Id("In").Op(":").Lit(ck.In))
		}
		fe = append(fe, jen.Id("Message").Op(":").Lit(msg))
		g.Id(list).Op("=").Append(jen.Id(list), jen.Qual(rt, "FieldError").Values(fe...))
	}
	body := func(g *jen.Group) {
		if ck.Slice {
			if ck.Ptr { // *[]T, inside its nil check
				target = jen.Op("*").Add(target.Clone())
			}
			if c.MinItems != "" {
				g.If(jen.Len(target.Clone()).Op("<").Op(c.MinItems)).BlockFunc(func(g *jen.Group) { fail(g, "must have at least "+plural(c.MinItems, "item")) })
			}
			if c.MaxItems != "" {
				g.If(jen.Len(target.Clone()).Op(">").Op(c.MaxItems)).BlockFunc(func(g *jen.Group) { fail(g, "must have at most "+plural(c.MaxItems, "item")) })
			}
			for _, t := range valueTests(n, jen.Id(n.x), ck.Kind, c) {
				// One error per constraint, however many items break it.
				g.For(jen.List(jen.Id("_"), jen.Id(n.x)).Op(":=").Range().Add(target.Clone())).Block(
					jen.If(t.cond).BlockFunc(func(g *jen.Group) { fail(g, "each item "+t.msg); g.Break() }))
			}
			return
		}
		val := target.Clone()
		if ck.Ptr {
			val = jen.Op("*").Add(target.Clone())
		}
		for _, t := range valueTests(n, val, ck.Kind, c) {
			g.If(t.cond).BlockFunc(func(g *jen.Group) { fail(g, t.msg) })
		}
	}
	var cond *jen.Statement
	switch {
	case ck.Ptr:
		cond = target.Clone().Op("!=").Nil()
	case ck.Slice && ck.Optional:
		cond = jen.Len(target.Clone()).Op(">").Lit(0)
	case ck.Optional && ck.Kind == model.StringValue:
		cond = target.Clone().Op("!=").Lit("")
	case ck.Optional:
		cond = target.Clone().Op("!=").Lit(0)
	}
	if cond == nil {
		body(g)
		return
	}
	g.If(cond).BlockFunc(body)
}

type valueTest struct {
	cond *jen.Statement // true when the value breaks the constraint
	msg  string
}

// valueTests are the tests of one value's constraints, in a fixed order.
func valueTests(n *names, val *jen.Statement, kind model.ValueKind, c model.Constraints) []valueTest {
	var out []valueTest
	num := func(op, bound, msg string) {
		if bound != "" {
			out = append(out, valueTest{val.Clone().Op(op).Op(bound), msg + " " + bound})
		}
	}
	num("<", c.Minimum, "must be at least")
	num(">", c.Maximum, "must be at most")
	num("<=", c.ExclusiveMinimum, "must be greater than")
	num(">=", c.ExclusiveMaximum, "must be less than")
	str := jen.String().Call(val.Clone())
	if c.MinLength != "" {
		out = append(out, valueTest{jen.Qual(rt, "RuneCount").Call(str.Clone()).Op("<").Op(c.MinLength), "must have at least " + plural(c.MinLength, "character")})
	}
	if c.MaxLength != "" {
		out = append(out, valueTest{jen.Qual(rt, "RuneCount").Call(str.Clone()).Op(">").Op(c.MaxLength), "must have at most " + plural(c.MaxLength, "character")})
	}
	if c.Pattern != "" {
		out = append(out, valueTest{jen.Op("!").Id(n.pattern(c.Pattern)).Dot("MatchString").Call(str.Clone()), "must match the pattern " + c.Pattern})
	}
	if len(c.EnumGo) > 0 {
		cond := &jen.Statement{}
		for i, e := range c.EnumGo {
			if i > 0 {
				cond.Op("&&")
			}
			cond.Add(val.Clone()).Op("!=").Op(e)
		}
		shown := c.EnumGo
		if kind == model.StringValue {
			shown = make([]string, len(c.EnumGo))
			for i, e := range c.EnumGo {
				shown[i] = strings.Trim(e, `"`)
			}
		}
		out = append(out, valueTest{cond, "must be one of " + strings.Join(shown, ", ")})
	}
	return out
}

// pattern is the package-level var holding the compiled expr.
func (n *names) pattern(expr string) string {
	if v, ok := n.patterns[expr]; ok {
		return v
	}
	v := n.fresh("kkPattern")
	n.patterns[expr] = v
	n.patternList = append(n.patternList, expr)
	return v
}

// checkBody emits the call of a decoded JSON body's check func:
//
//	if err := kkCheckNewPet(&v); err != nil {
//		return err
//	}
//
// For a body that is a slice or map of a checked struct, each element's
// failures are gathered, their names prefixed with the element's index or
// key ([2].name), into one 422:
//
//	var kkMissing []kk.FieldError
//	for kkKey, kkElem := range items {
//		if err := kkCheckItem(&kkElem); err != nil {
//			kkFes, _ := err.(kk.FieldErrors)
//			for _, kkFe := range kkFes {
//				kkFe.Field = "[" + kk.FieldIndex(kkKey) + "]." + kkFe.Field
//				kkMissing = append(kkMissing, kkFe)
//			}
//		}
//	}
//	if len(kkMissing) > 0 {
//		return kk.FieldErrors(kkMissing)
//	}
func checkBody(g *jen.Group, n *names, a model.Arg, v string) {
	ck := a.Checks
	if ck.Each == model.OneValue {
		arg := jen.Op("&").Id(v)
		if ck.Ptr {
			arg = jen.Id(v)
		}
		call := jen.If(jen.Id(n.err).Op(":=").Id(n.checkers[ck.Type]).Call(arg), jen.Id(n.err).Op("!=").Nil()).Block(jen.Return(jen.Id(n.err)))
		if ck.Ptr {
			g.If(jen.Id(v).Op("!=").Nil()).Block(call) // a JSON null body
			return
		}
		g.Add(call)
		return
	}
	// kk-prefixed locals: no parameter of the wrapper can take these names.
	list, key, elem := "kkMissing", "kkKey", "kkElem"
	var name jen.Code
	switch ck.Each {
	case model.SliceOf:
		name = jen.Qual(rt, "FieldIndex").Call(jen.Id(key))
	case model.StringMap:
		name = jen.String().Call(jen.Id(key))
	case model.IntMap:
		name = jen.Qual("strconv", "FormatInt").Call(jen.Int64().Call(jen.Id(key)), jen.Lit(10))
	}
	arg := jen.Op("&").Id(elem)
	if ck.Ptr {
		arg = jen.Id(elem)
	}
	g.Var().Id(list).Index().Qual(rt, "FieldError")
	g.For(jen.List(jen.Id(key), jen.Id(elem)).Op(":=").Range().Id(v)).BlockFunc(func(g *jen.Group) {
		if ck.Ptr {
			g.If(jen.Id(elem).Op("==").Nil()).Block(jen.Continue()) // a JSON null element
		}
		g.If(jen.Id(n.err).Op(":=").Id(n.checkers[ck.Type]).Call(arg), jen.Id(n.err).Op("!=").Nil()).BlockFunc(func(g *jen.Group) {
			fes := jen.Id("kkFes")
			g.List(fes.Clone(), jen.Id("_")).Op(":=").Id(n.err).Assert(jen.Qual(rt, "FieldErrors"))
			g.For(jen.List(jen.Id("_"), jen.Id("kkFe")).Op(":=").Range().Add(fes.Clone())).Block(
				jen.Id("kkFe").Dot("Field").Op("=").Lit("[").Op("+").Add(name).Op("+").Lit("].").Op("+").Id("kkFe").Dot("Field"),
				jen.Id(list).Op("=").Append(jen.Id(list), jen.Id("kkFe")),
			)
		})
	})
	g.If(jen.Len(jen.Id(list)).Op(">").Lit(0)).Block(jen.Return(jen.Qual(rt, "FieldErrors").Call(jen.Id(list))))
}

func plural(n, word string) string {
	if n == "1" {
		return n + " " + word
	}
	return n + " " + word + "s"
}

// enumList declares the wrapper's list of arguments outside their type's
// constants, when r has an argument with constants, and reports whether
// it did.
func enumList(g *jen.Group, n *names, r model.Route) bool {
	for _, a := range r.Args {
		if len(a.Enum) > 0 {
			g.Var().Id(n.bad).Index().Qual(rt, "FieldError")
			return true
		}
	}
	return false
}

// enumAnswer emits, after every argument is bound, the 422 listing each
// argument outside its type's constants.
func enumAnswer(g *jen.Group, n *names, declared bool) {
	if declared {
		g.If(jen.Len(jen.Id(n.bad)).Op(">").Lit(0)).Block(jen.Return(jen.Qual(rt, "FieldErrors").Call(jen.Id(n.bad))))
	}
}

// argEnum emits the check that a bound handler parameter of a named type
// with constants holds one of them, when the request holds it; a failure
// is appended to the wrapper's list, which the wrapper answers with one
// 422 after binding every argument:
//
//	if status != "" && status != "available" && status != "sold" {
//		kkBad = append(kkBad, kk.FieldError{Field: "status", In: "query", Message: "must be one of available, sold"})
//	}
func argEnum(g *jen.Group, n *names, a model.Arg, target *jen.Statement) {
	if len(a.Enum) == 0 {
		return
	}
	kind := model.IntValue
	if a.Value.Decoder == model.DecodeString {
		kind = model.StringValue
	}
	// A path value is always there; any other is checked when not its
	// zero value, which is what an absent one leaves.
	ck := model.Checked{Key: a.Key, In: a.Source.Tag(), Kind: kind, Ptr: a.Value.Ptr, Slice: a.Value.Slice, Optional: a.Source != model.FromPath,
		Constraints: model.Constraints{EnumGo: a.Enum}}
	checkField(g, n, target, ck, n.bad)
}

// structChecks emits the checks of the fields of the struct v points to,
// and of the structs inside them: field errors name a nested field by
// its path, owner.email or items[2].name.
func structChecks(g *jen.Group, n *names, v *jen.Statement, ck *model.Checks, list string, at []pathPart, depth int) {
	for _, fl := range ck.Fields {
		if len(fl.Via) > 0 {
			promotedChecks(g, n, v, fl, list, at, depth)
			continue
		}
		target := v.Clone().Dot(fl.Name)
		if !fl.Constraints.Empty() {
			checkField(g, n, target, fl, list, at...)
		}
		if fl.Nested == nil {
			continue
		}
		inner := jen.Id(fmt.Sprintf("kkAt%d", depth))
		path := append(append([]pathPart(nil), at...), pathPart{lit: fl.Key})
		enter := func(g *jen.Group, elem *jen.Statement, path []pathPart) {
			path = append(path, pathPart{lit: "."})
			if fl.Nested.Ptr {
				g.If(inner.Clone().Op(":=").Add(elem), inner.Clone().Op("!=").Nil()).BlockFunc(func(g *jen.Group) {
					structChecks(g, n, inner, fl.Nested, list, path, depth+1)
				})
				return
			}
			g.BlockFunc(func(g *jen.Group) {
				g.Add(inner.Clone()).Op(":=").Op("&").Add(elem)
				structChecks(g, n, inner, fl.Nested, list, path, depth+1)
			})
		}
		if !fl.Slice {
			enter(g, target, path)
			continue
		}
		i := fmt.Sprintf("kkI%d", depth)
		g.For(jen.Id(i).Op(":=").Range().Add(target.Clone())).BlockFunc(func(g *jen.Group) {
			enter(g, target.Clone().Index(jen.Id(i)), append(path, pathPart{lit: "["}, pathPart{index: i}, pathPart{lit: "]"}))
		})
	}
}

// promotedChecks emits the checks of a field promoted from embedded
// structs, reached through each of them by name (v.Base.Name), and only
// when every embedded pointer on the way is set, as encoding/json sets it
// only when the body holds one of its fields:
//
//	if v.Extra != nil {
//		...checks of v.Extra.Note
//	}
func promotedChecks(g *jen.Group, n *names, v *jen.Statement, fl model.Checked, list string, at []pathPart, depth int) {
	base := v.Clone()
	var cond *jen.Statement
	for _, e := range fl.Via {
		base = base.Clone().Dot(e.Name)
		if e.Ptr {
			if cond == nil {
				cond = base.Clone().Op("!=").Nil()
			} else {
				cond = cond.Op("&&").Add(base.Clone()).Op("!=").Nil()
			}
		}
	}
	direct := fl
	direct.Via = nil
	one := &model.Checks{Fields: []model.Checked{direct}}
	if cond == nil {
		structChecks(g, n, base, one, list, at, depth)
		return
	}
	g.If(cond).BlockFunc(func(g *jen.Group) { structChecks(g, n, base, one, list, at, depth) })
}

// pathPart is a piece of a nested field's name: literal text, or the
// index local of the slice being walked.
type pathPart struct {
	lit   string
	index string
}

// pathExpr is the Go expression of a field's name: a literal, or for a
// field inside a slice, "items[" + kk.FieldIndex(kkI1) + "].name", which
// is only evaluated when the field fails.
func pathExpr(parts []pathPart) jen.Code {
	var terms []jen.Code
	lit := ""
	for _, p := range parts {
		if p.index == "" {
			lit += p.lit
			continue
		}
		if lit != "" {
			terms = append(terms, jen.Lit(lit))
			lit = ""
		}
		terms = append(terms, jen.Qual(rt, "FieldIndex").Call(jen.Id(p.index)))
	}
	if lit != "" || len(terms) == 0 {
		terms = append(terms, jen.Lit(lit))
	}
	expr := jen.Add(terms[0])
	for _, t := range terms[1:] {
		expr.Op("+").Add(t)
	}
	return expr
}
