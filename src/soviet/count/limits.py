"""The counting engine's bounds, checked before any array is allocated."""

from __future__ import annotations

#: Seats in any one apportionment or count (a council, congress or committee).
SEATS_MAX = 100_000
#: Votes, electors or ballots for any one party, candidate or constituency.
VOTES_MAX = 100_000_000
#: Bytes of a ballot file (or any file read whole): a larger file, or a device such as
#: ``/dev/zero``, is refused before it is read.
FILE_BYTES_MAX = 64 * 2**20
