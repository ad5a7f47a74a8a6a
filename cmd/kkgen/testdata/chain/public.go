//kk:group /
package chain

//kk:route GET /healthz
func Healthz() string { return "ok" }
