"""Each YAML test case under tests/cases is its own pytest item (docs/test-cases.md).

The item is named ``<file>::<case name>``; a failure prints the findings that differ. A case
that is not valid fails as its own item naming its wrong fields (the file's other cases still
run), and a file that is not a case file at all fails as one item.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reciprocity.casefiles import CaseResult, InvalidCase, TestCase, load_cases, run_case
from reciprocity.errors import InvalidInputError


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix in {".yaml", ".yml"}:
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFailed(Exception):
    """A case whose decision differs from what it expects."""


class CaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            cases = load_cases(self.path)
        except InvalidInputError as error:
            yield MalformedCase.from_parent(self, name=self.path.name, message=str(error))
            return
        for case in cases:
            if isinstance(case, InvalidCase):
                yield MalformedCase.from_parent(self, name=case.name, message=str(case.error))
            else:
                yield CaseItem.from_parent(self, name=case.name, case=case)


class CaseItem(pytest.Item):
    def __init__(self, *, case: TestCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        result: CaseResult = run_case(self.case)
        if not result.passed:
            raise CaseFailed(result.report())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            return f"{self.case.label}\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"case: {self.name}"


class MalformedCase(pytest.Item):
    def __init__(self, *, message: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.message = message

    def runtest(self) -> None:
        raise CaseFailed(self.message)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"malformed case or case file: {self.name}"
