"""Views: read models of the state for the CLI and the HTTP API (plain data, no changes)."""
