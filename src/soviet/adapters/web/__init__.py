"""The web app's files: ``static/`` is served at ``/static`` (``live.js``, docs/http.md)."""
