package directive

import (
	"os"
	"strings"
	"testing"
)

// TestGuideListsEveryKind keeps the user guide's annotation table in step
// with the arity table: a kind kkgen accepts but the guide does not
// document is a kind no user can find.
func TestGuideListsEveryKind(t *testing.T) {
	guide, err := os.ReadFile("../../docs/guide.md")
	if err != nil {
		t.Fatal(err)
	}
	for kind := range arity {
		if !strings.Contains(string(guide), "| `//kk:"+kind) {
			t.Errorf("docs/guide.md's annotation table has no row for //kk:%s", kind)
		}
	}
}
