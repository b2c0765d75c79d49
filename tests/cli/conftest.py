"""Fixtures for the partner, ledger and arbitration CLI tests (helpers in ``__init__``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import KENT_PARTNERS, join_all, walk_kent_move


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "reciprocity.db")


@pytest.fixture
def kent(tmp_path: Path, db: str) -> str:
    """Kent RP partners joined on 2023-01-01 through the CLI and case K1 moved; the store's path."""
    join_all(tmp_path, db, "kent_rp", KENT_PARTNERS)
    walk_kent_move(db)
    return db
