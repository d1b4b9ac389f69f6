"""Rows of the live tables <-> an in-memory ``Organisation`` (whole states).

The mappings themselves are derived from the domain's dataclasses in
``soviet.adapters.storage.entities``; ``soviet.adapters.storage.records`` applies them.
"""

from soviet.adapters.storage.records import Rows, from_rows, to_rows

__all__ = ["Rows", "from_rows", "to_rows"]
