"""Reforms: proposed changes to a scheme's rules from a date, applied as a new dated version of
the scheme (see :mod:`reciprocity.reforms.reform` for the file format and
:mod:`reciprocity.reforms.conditions` for conditions written as data)."""

from reciprocity.reforms.conditions import OPERATORS, condition_from_data
from reciprocity.reforms.reform import (
           Change,
           Reform,
           ReformDocument,
           apply_reform,
           load_reform,
           reform_from_data,
)

__all__ = ["OPERATORS", "Change", "Reform", "ReformDocument", "apply_reform", "condition_from_data", "load_reform",
           "reform_from_data"]
