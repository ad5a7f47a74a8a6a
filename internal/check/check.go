// Package check checks a package's //kk: directives against the Go types of
// the declarations they annotate and builds the model kkgen emits from.
// Every problem is reported as a positioned diagnostic; none stops the check
// of the rest.
package check

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/packages"

	"github.com/kommandkit/kk/internal/diag"
	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/model"
)

type checker struct {
	receivers      map[string]*model.Receiver // by type name (receiver.go)
	mwMethods      map[string]*types.Func     // //kk:use Type.Method names, resolved
	groups         map[*ast.File]group
	extMethods     map[string]bool // declared by //kk:method (methods.go)
	funcDirectives map[*ast.FuncDecl]funcExtra
	qualifier      types.Qualifier // prints types as the package's own code names them
	pkg            *packages.Package
	fset           *token.FileSet
	diags          diag.List
	out            *model.Package
}

// Package checks the directives of pkg and returns the model of what to
// generate. The model is only meaningful when no diagnostics come back.
func Package(pkg *packages.Package, dirs []directive.Directive) (*model.Package, diag.List) {
	c := &checker{pkg: pkg, fset: pkg.Fset, out: &model.Package{Name: pkg.Name, Path: pkg.PkgPath}}
	c.qualifier = func(p *types.Package) string {
		if p == pkg.Types {
			return ""
		}
		return p.Name()
	}
	c.out.Declared = map[string]bool{}
	for _, name := range pkg.Types.Scope().Names() {
		c.out.Declared[name] = true
	}
	c.reserved()
	c.groups, c.funcDirectives = map[*ast.File]group{}, map[*ast.FuncDecl]funcExtra{}
	c.receivers, c.mwMethods = map[string]*model.Receiver{}, map[string]*types.Func{}
	c.modifiers(dirs)
	for _, d := range dirs {
		switch d.Kind.Text {
		case "route":
			c.route(d)
		case "error":
			c.errorStatus(d)
		case "errorhandler":
			c.errorHandler(d)
		case "static":
			c.static(d)
		case "consumer":
			c.consumer(d)
		case "security":
			c.security(d) // security.go
		}
	}
	c.document() // document.go
	c.consumerNames()
	c.out.Receivers = c.receiverList()
	return c.out, c.diags
}

func (c *checker) pos(p token.Pos) token.Position { return c.fset.Position(p) }

// generatedUses are the predeclared identifiers kk_gen.go refers to; a
// package-level declaration of one would change what the generated code
// means. Others (min, max, clear, ...) are the package's business.
var generatedUses = map[string]bool{
	"len": true, "new": true, "nil": true, "error": true, "string": true, "byte": true, "bool": true,
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"float32": true, "float64": true,
}

// reserved reports package-level names that kk_gen.go declares or imports.
func (c *checker) reserved() {
	scope := c.pkg.Types.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		switch {
		case model.Reserved(name):
			c.diags.Addf(c.pos(obj.Pos()), "%s is declared by the generated kk_gen.go; rename this declaration (names kk, errors, NewRouter and kk followed by an upper-case letter are reserved)", name)
		case generatedUses[name]:
			c.diags.Addf(c.pos(obj.Pos()), "%s shadows the predeclared identifier %s, which the generated kk_gen.go uses; rename this declaration", name, name)
		}
	}
}

// funcTarget is the top-level func, or the method of a type declared in
// the package, that a directive annotates, or nil after reporting why
// there is none. A method's receiver type is recorded (receiver.go).
func (c *checker) funcTarget(d directive.Directive) (*ast.FuncDecl, *types.Func) {
	fd, ok := d.Decl.(*ast.FuncDecl)
	if !ok {
		c.diags.Addf(d.Pos, "//kk:%s must annotate a func or a method, not %s", d.Kind.Text, describe(d))
		return nil, nil
	}
	fn, _ := c.pkg.TypesInfo.Defs[fd.Name].(*types.Func)
	if fn == nil {
		return nil, nil // a type error already reported by load
	}
	if fn.Type().(*types.Signature).TypeParams().Len() > 0 {
		c.diags.Addf(d.Pos, "//kk:%s cannot annotate the generic func %s", d.Kind.Text, fd.Name.Name)
		return nil, nil
	}
	if fd.Recv != nil && !c.receiver(d, fn) {
		return nil, nil
	}
	return fd, fn
}

func describe(d directive.Directive) string {
	if d.OnFile {
		return "the package clause"
	}
	if fd, ok := d.Decl.(*ast.FuncDecl); ok {
		if fd.Recv != nil {
			return "the method " + fd.Name.Name
		}
		return "the func " + fd.Name.Name
	}
	switch s := d.Spec.(type) {
	case *ast.TypeSpec:
		return "the type " + s.Name.Name
	case *ast.ValueSpec:
		kind := "var"
		if gd, ok := d.Decl.(*ast.GenDecl); ok && gd.Tok == token.CONST {
			kind = "const"
		}
		return "the " + kind + " " + s.Names[0].Name
	}
	if gd, ok := d.Decl.(*ast.GenDecl); ok {
		return "a " + gd.Tok.String() + " declaration"
	}
	return "this declaration"
}

// status parses a STATUS argument, which must lie in [lo, hi].
func (c *checker) status(t directive.Token, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(t.Text)
	if err != nil || n < lo || n > hi || t.Text[0] < '0' || t.Text[0] > '9' {
		c.diags.Addf(t.Pos, "status %q must be a number from %d to %d", t.Text, lo, hi)
		return 0, false
	}
	return n, true
}
