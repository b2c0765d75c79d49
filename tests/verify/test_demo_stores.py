"""Every store the demo writes verifies with zero problems (issue 12, "Done when":
`reciprocity store verify` reports zero problems on every store the demo writes).

Each built-in scheme's year is played by `reciprocity demo --db` (the file the command keeps),
small enough to be quick yet holding every kind of event whose content the library derives.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reciprocity.casework.verify import verify
from reciprocity.store import EventStore

from verify.forge import demo_store

SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")

DERIVED = {"check_eligibility", "accept", "claim", "circulate", "make_offer", "move", "join"}


@pytest.mark.parametrize("scheme_id", SCHEMES)
def test_the_demo_store_of_each_scheme_verifies(tmp_path: Path, scheme_id: str) -> None:
    with EventStore.at(demo_store(tmp_path, scheme_id), create=False) as store:
        report = verify(store)
        kinds = Counter(r.event.type for r in store.all())
        arbitration = sum(1 for s in store.streams("arbitration:") for _ in store.stream(s))
        total = sum(kinds.values())
    assert report.ok, report.problems
    assert DERIVED <= set(kinds), kinds  # every derived kind was there to be recomputed
    # Every event is checked but the arbitrations' own (read only for the removals naming them).
    assert report.events_checked == total - arbitration
    if scheme_id == "kent_rp":
        assert kinds["decide"] == 1
