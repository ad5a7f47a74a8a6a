// Command fiber serves the end-to-end workload with
// github.com/gofiber/fiber/v2 (on fasthttp), written as its docs show, with
// the shared limits.
package main

import (
	"context"
	"flag"
	"log"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/gofiber/fiber/v2"

	"github.com/kommandkit/kk/bench/e2e/workload"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ReadTimeout:           workload.ReadTimeout,
		WriteTimeout:          workload.WriteTimeout,
		IdleTimeout:           workload.IdleTimeout,
		BodyLimit:             workload.MaxRequestBodySize,
	})
	app.Get("/", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
		return c.SendString(workload.Hello)
	})
	app.Get("/users/:id", func(c *fiber.Ctx) error {
		id, err := strconv.ParseInt(c.Params("id"), 10, 64)
		if err != nil {
			return fiber.NewError(fiber.StatusBadRequest, "bad id")
		}
		return c.JSON(workload.NewUser(id))
	})
	app.Post("/echo", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(c.Body())
	})
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); app.Shutdown() }()
	if err := app.Listen(*addr); err != nil {
		log.Fatal(err)
	}
}
