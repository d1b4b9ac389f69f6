"""Programs that run without the engine: only Python's standard library.

``verify_ledger.py`` checks a ledger exported with ``soviet export ledger``; it is
copied beside the export, so anyone can check a published ledger without installing
soviet (as Belenios's verifier checks a published election).
"""
