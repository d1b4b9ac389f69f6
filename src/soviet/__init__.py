"""soviet: a council-democracy engine.

Layers (dependencies point inward only):

- ``soviet.domain``       pure rules: councils, constituencies, delegates, recall (no I/O)
- ``soviet.count``        the counting engine: pure functions over arrays
- ``soviet.application``  commands, each one transaction appending to the ledger
- ``soviet.adapters``     storage (SQLAlchemy), CLI (Typer)
- ``soviet.scenarios``    data, including the 1917 worked examples
"""

__version__ = "0.1.0"
