"""Shared setup of the caseload tests: a scheme with fields and a harm type of its own."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pytest

import reciprocity
from reciprocity.authoring.examples import EXAMPLE_ID, example_scheme

#: The example scheme of the scheme author's reference: a yes-or-no and a text field of its
#: own (consent_to_share, mobility_registration) and the harm type hate_crime.
OWN = EXAMPLE_ID


@pytest.fixture
def own_scheme(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The example scheme installed next to the built-in ones, for one test; its id."""
    registry = reciprocity.plugins.registry()
    scheme = example_scheme()
    monkeypatch.setattr(reciprocity.plugins, "_registry",
                        attrs.evolve(registry, schemes={**registry.schemes, scheme.id: scheme}))
    yield scheme.id
