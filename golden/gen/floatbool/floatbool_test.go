package floatbool

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestFloatBool(t *testing.T) {
	r := NewRouter()
	const bad = `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"`
	for _, tc := range []struct {
		target string
		status int
		body   string
	}{
		{"/f32/1.5", 200, "1.5"},
		{"/f32/-0.25", 200, "-0.25"},
		{"/f32/1e3", 200, "1000"},
		{"/f32/0.1", 200, "0.1"},
		{"/f32/3.4028235e38", 200, "3.4028235e+38"},
		{"/f32/1e39", 400, bad + `x\": \"1e39\" is out of range for float32"}`},
		{"/f32/abc", 400, bad + `x\": \"abc\" is not a valid float32"}`},
		{"/f64/1e39", 200, "1e+39"},
		{"/f64/0.1", 200, "0.1"},
		{"/f64/1e309", 400, bad + `x\": \"1e309\" is out of range for float64"}`},
		{"/f64/Inf", 200, "+Inf"},
		{"/f64/NaN", 200, "NaN"},
		{"/f64/1,5", 400, bad + `x\": \"1,5\" is not a valid float64"}`},
		{"/bool/true", 200, "true"},
		{"/bool/1", 200, "true"},
		{"/bool/T", 200, "true"},
		{"/bool/False", 200, "false"},
		{"/bool/0", 200, "false"},
		{"/bool/yes", 400, bad + `on\": \"yes\" is not a valid bool"}`},
		{"/bool/TRUE", 200, "true"},
		{"/bool/tRuE", 400, bad + `on\": \"tRuE\" is not a valid bool"}`},
		// Parameters bind by name, not by position.
		{"/mix/t/0.5/2.25", 200, `{"on":true,"x":0.5,"y":2.25}`},
		{"/mix/f/0.5/nope", 400, bad + `y\": \"nope\" is not a valid float64"}`},
		{"/mix/maybe/x/y", 400, bad + `on\": \"maybe\" is not a valid bool"}`},
	} {
		resp := kktest.Do(r, "GET", tc.target)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("GET %s = %d %s; want %d %s", tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
}
