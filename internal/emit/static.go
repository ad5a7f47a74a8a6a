package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kommandkit/kk/internal/model"
)

// staticHandler is the handler of a //kk:static route, which has no
// generated wrapper: the runtime serves the files.
//
//	kk.Static(assets, "public")
func staticHandler(r model.Route) jen.Code {
	return jen.Qual(rt, "Static").Call(jen.Id(r.Func), jen.Lit(r.Static.Dir))
}
