// Package floatbool covers float32, float64 and bool path parameters.
package floatbool

import "strconv"

//kk:route GET /f32/:x
func F32(x float32) string { return strconv.FormatFloat(float64(x), 'g', -1, 32) }

//kk:route GET /f64/:x
func F64(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

//kk:route GET /bool/:on
func Bool(on bool) string { return strconv.FormatBool(on) }

//kk:route GET /mix/:on/:x/:y
func Mix(on bool, y float64, x float32) (map[string]any, error) {
	return map[string]any{"on": on, "x": x, "y": y}, nil
}
