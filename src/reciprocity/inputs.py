"""Input at the boundary: referral documents read, validated, and reported field by field."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.model.offer import Offer
from reciprocity.model.partner import Partner
from reciprocity.model.referral import Referral

__all__ = ["coerce_offer", "coerce_partner", "coerce_referral", "format_loc", "load_document", "problems_from"]


#: Field names shown in errors; anything else (it could be data typed into a key) is not.
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")


def _yaml_loader() -> type:
    """Safe YAML that leaves dates as text, so an impossible date is reported at its field."""
    import yaml  # noqa: PLC0415

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def _too_long(path: Path) -> InputProblem:
    return InputProblem(path.name, "holds a value too long to read (such as a number of thousands of digits)",
                        "check the file is a referral")


def _too_deep(path: Path) -> InputProblem:
    return InputProblem(path.name, "is nested too deeply to be a referral", "give one referral object")

_HINTS = {
    "missing": "add this field",
    "extra_forbidden": "remove it or check its spelling (`reciprocity schema` lists every field)",
    "date_from_datetime_parsing": "write dates as YYYY-MM-DD, e.g. 2026-03-31",
    "date_parsing": "write dates as YYYY-MM-DD, e.g. 2026-03-31",
    "date_type": "write dates as YYYY-MM-DD, e.g. 2026-03-31",
    "date_from_datetime_inexact": "write dates as YYYY-MM-DD, without a time",
    "enum": "use one of the values listed",
    "bool_parsing": "use true or false",
    "bool_type": "use true or false",
    "int_parsing": "use a whole number",
    "int_type": "use a whole number",
    "int_from_float": "use a whole number",
    "string_pattern_mismatch": "use lower-case letters, digits and underscores for area ids",
    "model_type": "give an object (a mapping of fields)",
    "tuple_type": "give a list",
}


def format_loc(loc: tuple[str | int, ...]) -> str:
    """A pydantic location as a field path: ``('household', 'members', 2, 'age')`` →
    ``household.members[2].age``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _IDENTIFIER.match(str(part)) else "<unrecognised field>"
            text += f".{name}" if text else name
    return text


def problems_from(error: ValidationError) -> list[InputProblem]:
    """Each validation error as a problem; the offending values are never repeated."""
    problems = []
    for item in error.errors(include_input=False, include_url=False):
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "is not a field of this model"
        elif item["type"] == "missing":
            message = "is required"
        hint = _HINTS.get(item["type"], "")
        if item["type"] == "string_pattern_mismatch" and "area" not in format_loc(item["loc"]):
            hint = ""
        problems.append(InputProblem(format_loc(item["loc"]), message, hint))
    return problems


def coerce_referral(referral: Referral | Mapping[str, Any]) -> Referral:
    """Return ``referral`` as a validated :class:`Referral`; a dict is validated first."""
    if isinstance(referral, Referral):
        return referral
    if not isinstance(referral, Mapping):
        raise InvalidInputError(
            "referral", [InputProblem("", f"expected an object, got {type(referral).__name__}",
                                      "give the referral as a mapping of fields")]
        )
    try:
        return Referral.model_validate(referral)
    except ValidationError as error:
        raise InvalidInputError("referral", problems_from(error)) from None


def coerce_offer(offer: Offer | Mapping[str, Any]) -> Offer:
    """Return ``offer`` as a validated :class:`Offer`; problems are reported under ``offer.``."""
    if isinstance(offer, Offer):
        return offer
    if not isinstance(offer, Mapping):
        raise InvalidInputError("offer", [InputProblem("offer", "must be an object", "give the offer as a mapping")])
    try:
        return Offer.model_validate(offer)
    except ValidationError as error:
        problems = [InputProblem(f"offer.{p.path}" if p.path else "offer", p.message, p.hint) for p in problems_from(error)]
        raise InvalidInputError("offer", problems) from None


def coerce_partner(partner: Partner | Mapping[str, Any]) -> Partner:
    """Return ``partner`` as a validated :class:`Partner`."""
    if isinstance(partner, Partner):
        return partner
    try:
        return Partner.model_validate(partner)
    except ValidationError as error:
        raise InvalidInputError("partner", problems_from(error)) from None


def load_document(path: Path) -> Any:
    """Read a JSON or YAML document; syntax errors name the line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError("file", [InputProblem(str(path), "does not exist", "check the path")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError(
            "file", [InputProblem(str(path), f"cannot be read ({type(error).__name__})", "give a UTF-8 JSON or YAML file")]
        ) from None
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except RecursionError:
            raise InvalidInputError("JSON", [_too_deep(path)]) from None
        except json.JSONDecodeError as error:  # a subclass of ValueError: caught first
            raise InvalidInputError(
                "JSON",
                [InputProblem(f"{path.name} line {error.lineno} column {error.colno}", error.msg.lower(), "fix the JSON syntax there")],
            ) from None
        except ValueError:
            raise InvalidInputError("JSON", [_too_long(path)]) from None
    if path.suffix.lower() in {".yaml", ".yml"}:
        import yaml  # noqa: PLC0415 - only YAML files need it; keeps `import reciprocity` light

        try:
            return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
        except RecursionError:
            raise InvalidInputError("YAML", [_too_deep(path)]) from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"{path.name} line {mark.line + 1} column {mark.column + 1}" if mark else path.name
            # The parser's own message can quote the document, so say only where and what kind.
            raise InvalidInputError(
                "YAML", [InputProblem(where, f"is not valid YAML ({type(error).__name__})", "fix the YAML syntax there")]
            ) from None
        except ValueError:
            raise InvalidInputError("YAML", [_too_long(path)]) from None
    raise InvalidInputError(
        "file", [InputProblem(path.name, "has an unknown extension", "name it .json, .yaml or .yml")]
    )
