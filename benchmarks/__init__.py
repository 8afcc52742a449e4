"""Performance benchmarks for billing-tui: a pty harness, reference targets and report writers."""
