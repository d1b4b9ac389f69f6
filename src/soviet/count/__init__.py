"""The counting engine: apportionment, single- and multi-winner elections, indices.

Pure code: no storage, no I/O beyond the ballot-file readers in ``soviet.count.io``.
"""
