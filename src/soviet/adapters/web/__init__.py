"""The web app: server-rendered pages over the same views the CLI and the API use.

``pages.router`` is mounted by ``soviet.adapters.http.app.create_app``; templates and
static assets ship inside this package (docs/decisions/0014-web-app.md).
"""
