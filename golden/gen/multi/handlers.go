// Package multi covers several //kk:route annotations on one func: each
// gets its own wrapper, binding the func's parameters by name wherever they
// sit in its pattern.
package multi

import (
	"fmt"

	kk "github.com/kommandkit/kk/runtime"
)

// Item is served under three patterns, by three methods, with id at a
// different position or kind of parameter in each.
//
//kk:route GET /items/:id
//kk:route PUT /items/:id
//kk:route POST /v1/:id/item
//kk:route GET /by-path/*id
func Item(c *kk.Ctx, id int) string {
	return fmt.Sprintf("%s %s item %d", c.Method(), c.Route().Pattern, id)
}

// ShopItem shares a func parameter name with Item.
//
//kk:route GET /shops/:shop/items/:id
//kk:route GET /items/:id/shop/:shop
func ShopItem(id uint, shop string) string { return fmt.Sprintf("shop %s item %d", shop, id) }

// Health is a doc comment with the annotations in the middle of the prose.
//
// More prose after.
//
//kk:route GET /health
//kk:route GET /healthz
//kk:route HEAD /ping
func Health() {}
