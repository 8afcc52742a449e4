"""The warm session server: `billing-tui serve` forks a ready wizard per terminal; the client attaches to it."""
