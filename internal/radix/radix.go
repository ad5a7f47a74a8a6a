// Package radix builds, for each method, the static radix tree that the
// generated matcher is unrolled from, and reports routes that conflict.
//
// A node is a position in the path. Its static children have edge labels
// with distinct first bytes; its param child consumes one non-empty
// segment; a catch-all consumes the rest. Matching tries static children,
// then the param child, then the catch-all, falling back when a branch
// leads nowhere, which makes the most specific route win.
package radix

import (
	"sort"
	"strings"

	"github.com/kommandkit/kk/internal/diag"
	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
)

// Node is one position in a method's tree.
type Node struct {
	Prefix     string  // label of the static edge into this node
	Statics    []*Node // static children, sorted by label
	Param      *Node   // child after one ":name" segment
	ParamIndex int     // for a param child: its index among the route's params
	CatchAll   int     // route matched by "*name" here, or -1
	CatchIndex int     // the catch-all's index among the route's params
	Route      int     // route whose path ends exactly here, or -1
}

// Tree is the tree of one method.
type Tree struct {
	Method string
	Root   *Node
}

func newNode(prefix string) *Node { return &Node{Prefix: prefix, CatchAll: -1, Route: -1} }

// Build builds one tree per method over routes, sorted by method. Route
// indices in the trees are indices into routes. Two routes of one method
// whose patterns match the same paths are reported at the later one, naming
// both.
func Build(routes []model.Route) ([]Tree, diag.List) {
	var diags diag.List
	roots := map[string]*Node{}
	for i, r := range routes {
		root := roots[r.Method]
		if root == nil {
			root = newNode("")
			roots[r.Method] = root
		}
		if prev := insert(root, r.Pattern, i); prev >= 0 {
			p := routes[prev]
			diags.Addf(r.Pos, "duplicate route %s %s (%s) matches the same paths as %s %s (%s) at %s",
				r.Method, r.Pattern.Raw, r.ServedBy(), p.Method, p.Pattern.Raw, p.ServedBy(), p.Pos)
		}
	}
	trees := make([]Tree, 0, len(roots))
	for m, root := range roots {
		trees = append(trees, Tree{Method: m, Root: root})
	}
	sort.Slice(trees, func(i, j int) bool { return trees[i].Method < trees[j].Method })
	return trees, diags
}

// insert adds route i and returns the route already there, or -1.
func insert(n *Node, p pattern.Pattern, i int) int {
	var static strings.Builder
	static.WriteByte('/')
	params := 0
	for k, s := range p.Segments {
		last := k == len(p.Segments)-1
		switch s.Kind {
		case pattern.Static:
			static.WriteString(s.Text)
		case pattern.Param:
			n = insertStatic(n, static.String())
			static.Reset()
			if n.Param == nil {
				n.Param = newNode("")
				n.Param.ParamIndex = params
			}
			n = n.Param
			params++
		case pattern.CatchAll:
			n = insertStatic(n, static.String())
			if n.CatchAll >= 0 {
				return n.CatchAll
			}
			n.CatchAll, n.CatchIndex = i, params
			return -1
		}
		if !last {
			static.WriteByte('/')
		}
	}
	n = insertStatic(n, static.String())
	if n.Route >= 0 {
		return n.Route
	}
	n.Route = i
	return -1
}

// insertStatic walks or creates the static path s below n, splitting edges
// where s diverges from a label, and returns the node at its end.
func insertStatic(n *Node, s string) *Node {
	for s != "" {
		var child *Node
		at := 0
		for j, c := range n.Statics {
			if c.Prefix[0] == s[0] {
				child, at = c, j
				break
			}
		}
		if child == nil {
			child = newNode(s)
			n.Statics = append(n.Statics, child)
			sort.Slice(n.Statics, func(a, b int) bool { return n.Statics[a].Prefix < n.Statics[b].Prefix })
			return child
		}
		l := commonPrefix(child.Prefix, s)
		if l < len(child.Prefix) {
			mid := newNode(child.Prefix[:l])
			child.Prefix = child.Prefix[l:]
			mid.Statics = []*Node{child}
			n.Statics[at] = mid
			child = mid
		}
		n, s = child, s[l:]
	}
	return n
}

func commonPrefix(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}
