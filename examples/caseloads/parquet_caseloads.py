"""Parquet caseloads, flat and nested: write each with pyarrow, read both with read_caseload.

    python examples/caseloads/parquet_caseloads.py FOLDER
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from reciprocity.caseloads import read_caseload


def main(folder: Path) -> None:
    # Flat: one column per dotted field path, each in its own type; null where not given.
    flat = pa.table({
        "id": ["KRP-1", "KRP-2"],
        "referred_on": pa.array([date(2026, 3, 2), date(2026, 3, 9)], pa.date32()),
        "nominating_partner.id": ["orchard_housing", "thanet_dc"],
        "risk.assessed_by": ["idva", "police"],
        "risk.dash_score": pa.array([16, None], pa.int64()),
        "risk.harm_types": pa.array([["domestic_abuse", "stalking"], ["domestic_abuse"]], pa.list_(pa.string())),
        "household.members.0.relationship": ["applicant", None],
        "household.members.0.age": pa.array([34, None], pa.int64()),
        "urgent": pa.array([True, None], pa.bool_()),
        "requested_areas": pa.array([["thanet", "dover"], []], pa.list_(pa.string())),
    })
    pq.write_table(flat, folder / "flat.parquet")

    # Nested: struct columns holding the objects of a referral, as JSON Lines would.
    nested = pa.Table.from_pylist([
        {"id": "KRP-1", "referred_on": date(2026, 3, 2), "nominating_partner": {"id": "orchard_housing"},
         "risk": {"assessed_by": "idva", "dash_score": 16, "harm_types": ["domestic_abuse", "stalking"]},
         "household": {"members": [{"relationship": "applicant", "age": 34}]},
         "urgent": True, "requested_areas": ["thanet", "dover"]},
        {"id": "KRP-2", "referred_on": date(2026, 3, 9), "nominating_partner": {"id": "thanet_dc"},
         "risk": {"assessed_by": "police", "dash_score": None, "harm_types": ["domestic_abuse"]},
         "household": None, "urgent": None, "requested_areas": []},
    ])
    pq.write_table(nested, folder / "nested.parquet")

    assert read_caseload(folder / "flat.parquet").referrals == read_caseload(folder / "nested.parquet").referrals
    print(read_caseload(folder / "nested.parquet").report())


if __name__ == "__main__":
    main(Path(sys.argv[1]))
