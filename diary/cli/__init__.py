"""The `twitch` command line: one module per group of commands."""
