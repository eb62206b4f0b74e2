"""The `roadsafe` command: one module per command, `main` builds the parser and dispatches."""
