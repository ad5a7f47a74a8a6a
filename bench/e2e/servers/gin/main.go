// Command gin serves the end-to-end workload with github.com/gin-gonic/gin
// in release mode with no middleware, on net/http, written as its docs
// show.
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kommandkit/kk/bench/e2e/nethttpserve"
	"github.com/kommandkit/kk/bench/e2e/workload"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, workload.Hello) })
	r.GET("/users/:id", func(c *gin.Context) {
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil {
			c.String(http.StatusBadRequest, "bad id")
			return
		}
		c.JSON(http.StatusOK, workload.NewUser(id))
	})
	r.POST("/echo", func(c *gin.Context) {
		nethttpserve.LimitBody(c.Writer, c.Request)
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			c.String(http.StatusBadRequest, err.Error())
			return
		}
		c.Data(http.StatusOK, "application/json", body)
	})
	if err := nethttpserve.ListenAndServe(*addr, r); err != nil {
		log.Fatal(err)
	}
}
