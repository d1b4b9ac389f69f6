"""A process that casts a secret vote through a CastBatcher and prints each answer.

``python cast_server.py URL VOTERS CLIENTS``: CLIENTS threads cast for delegates 1 to
VOTERS (vote 1 of the congress ``test_concurrency.build_congress`` makes), and each
acknowledged cast is printed as ``ACK <credential>`` (flushed) once its batch has
committed. The crash test kills this process part-way with SIGKILL.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading

from soviet.adapters.storage import open_service
from soviet.application.batcher import BatchPolicy, CastBatcher
from soviet.application.commands import CastVote
from soviet.domain.errors import DomainError

CHOICES = ("for", "against", "abstain")


def main(url: str, voters: int, clients: int) -> None:
    service = open_service(url)
    todo = iter(range(1, voters + 1))
    lock = threading.Lock()
    out = threading.Lock()
    policy = BatchPolicy(max_size=16, window=0.005, min_size=1, max_wait=0.005)
    with CastBatcher(service, policy) as batcher:

        def client() -> None:
            while True:
                with lock:
                    credential = next(todo, None)
                if credential is None:
                    return
                command = CastVote(
                    congress="Congress",
                    vote=1,
                    credential=credential,
                    choice=CHOICES[credential % 3],
                    date=dt.date(1917, 11, 7),
                )
                try:
                    batcher.submit(command, f"delegate {credential}")
                except DomainError as exc:
                    line = f"REFUSED {credential} {exc}"
                else:
                    line = f"ACK {credential}"
                with out:
                    sys.stdout.write(line + "\n")
                    sys.stdout.flush()

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print("DONE", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
