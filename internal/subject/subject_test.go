package subject

import "testing"

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		s       string
		pattern bool
		ok      bool
	}{
		{"orders.created", false, true},
		{"orders", false, true},
		{"orders.*", true, true},
		{"orders.>", true, true},
		{">", true, true},
		{"*.*", true, true},
		{"orders.*", false, false},
		{"orders.>", false, false},
		{"orders.>.x", true, false},
		{"orders.a*", true, false},
		{"orders.a>", true, false},
		{"", true, false},
		{".orders", true, false},
		{"orders.", true, false},
		{"orders..created", true, false},
		{"orders created", true, false},
		{"orders\tcreated", true, false},
		{"_KK.x", true, false},
		{"_INBOX.x", true, false},
		{"café.commandé", false, true},
		{"a\xffb", false, false},
		{"a\x7fb", false, false},
		{"a\u00a0b", false, false},
		{"café.*", false, false},
		{"café.*", true, true},
		{"café.a*", true, false},
	} {
		err := Validate(c.s, c.pattern)
		if (err == nil) != c.ok {
			t.Errorf("Validate(%q, %v) = %v, want ok=%v", c.s, c.pattern, err, c.ok)
		}
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"a.b", "a.b", true},
		{"a.b", "a.c", false},
		{"a.b", "a", false},
		{"a", "a.b", false},
		{"a.*", "a.b", true},
		{"a.*", "a.b.c", false},
		{"a.*", "a", false},
		{"*.b", "a.b", true},
		{"a.>", "a.b", true},
		{"a.>", "a.b.c", true},
		{"a.>", "a", false},
		{">", "a", true},
		{">", "a.b.c", true},
		{"*", "a", true},
		{"*", "a.b", false},
		{"a.*.c", "a.b.c", true},
		{"a.*.c", "a.b.d", false},
		{"a.*.>", "a.b.c.d", true},
		{"a.*.>", "a.b", false},
	} {
		if got := Match(c.p, c.s); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.p, c.s, got, c.want)
		}
	}
}
