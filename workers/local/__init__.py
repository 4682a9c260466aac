"""Local services for `tollwatch demo` and the tests: an embedded Redis and child processes."""
