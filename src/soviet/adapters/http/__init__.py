"""The HTTP API (``soviet serve``): FastAPI over the same application service and views
as the CLI, read-only in this version. See docs/http.md and docs/decisions/0013."""
