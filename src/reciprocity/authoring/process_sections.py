"""The sections of the scheme author's reference on the case process a scheme's process is
built from: the process and its guards, the events and their payloads, deadlines and time
limits, duties, and the partnership.
"""

from __future__ import annotations

import inspect

from pydantic import BaseModel

from reciprocity.authoring.examples import rule_builder
from reciprocity.authoring.markdown import definitions_in, escape, inline, md, table
from reciprocity.authoring.names import (
    comments,
    member,
    model_fields,
    module_heading,
    module_members,
)

__all__ = [
    "deadlines_section",
    "duties_section",
    "events_section",
    "guards_section",
    "partnership_section",
    "process_section",
]

def process_section() -> list[str]:
    from reciprocity.lifecycle import process  # noqa: PLC0415

    out = [*module_heading(process, "The case process", "process"), *module_members(process, skip=("DEFAULT_PARTY",))]
    rows = [[f"`{event}`", f"`{party.value}`", escape(party.description)]
            for event, party in process.DEFAULT_PARTY.items()]
    out += ["### `DEFAULT_PARTY` {#reciprocity.lifecycle.process.DEFAULT_PARTY}", "",
            inline(comments(process)["DEFAULT_PARTY"]) + " Any other event: `coordinator`.", "",
            *table(rows, ["event", "party", "who that is"]), ""]
    return out


def guards_section() -> list[str]:
    from reciprocity.lifecycle import guards  # noqa: PLC0415

    out = [*module_heading(guards, "Guards many processes share", "guards"), md(guards.__doc__), "",
           "Each builds the guard rules shown (over [case facts](#case-facts)) for a `Step(guards=...)`; "
           "a guard that is not met refuses the event, naming the rule and its clause.", ""]
    for name in guards.__all__:
        out += rule_builder(guards, name, outcome=False)
    return out


def events_section() -> list[str]:
    from reciprocity.lifecycle import events  # noqa: PLC0415
    from reciprocity.lifecycle.process import DEFAULT_PARTY, Party  # noqa: PLC0415

    models: dict[type[BaseModel], list[str]] = {}
    for event, model in events.PAYLOADS.items():
        models.setdefault(model, []).append(event)
    rows = []
    for event, model in events.PAYLOADS.items():
        payload = f"[`{model.__name__}`](#payload-{model.__name__.lower()})" if model.model_fields else "none"
        command = f"`reciprocity case {events.COMMANDS[event]}`"
        if event in events.DERIVED:
            command += f"; derived by the library (`{events.DERIVED[event].split(' (', 1)[0]}`)"
        rows.append([f"`{event}`", payload, command, f"`{DEFAULT_PARTY.get(event, Party.COORDINATOR).value}`"])
    out = [*module_heading(events, "Events", "events"), md(events.__doc__), "",
           "A process's steps may use only these events (a step names one in `Step(event=...)`). "
           "*Party* is the step's party when it names none ([`DEFAULT_PARTY`]"
           "(#reciprocity.lifecycle.process.DEFAULT_PARTY)); a derived event's payload is worked out "
           "by the library, never taken from a caller. Every recorded payload also keeps its actor's "
           f"id under `{events.ACTOR_KEY}`.", "",
           *table(rows, ["event", "payload", "recorded with", "party"]), "",
           "### Payloads {#payloads}", ""]
    for model, names in models.items():
        if not model.model_fields:
            continue
        used = ", ".join(f"`{n}`" for n in names)
        out += [f"#### `{model.__name__}` {{#payload-{model.__name__.lower()}}}", "", f"The payload of {used}.", ""]
        if model.__doc__ and model.__doc__ != BaseModel.__doc__ and "__doc__" in vars(model):
            out += [md(model.__doc__), ""]
        out += [*model_fields(model), ""]
    out += member(events, "Information")
    return out


def deadlines_section() -> list[str]:
    from reciprocity.lifecycle import deadlines, time_limits  # noqa: PLC0415

    kinds = dict(definitions_in(deadlines.__doc__))
    rows = []
    for kind, (length, unit) in time_limits.BUILT_IN.items():
        words = time_limits.TimeLimit((), length=length if length is not None else 3, unit=unit).words()
        default = words if length is not None else f"the `review_after_months` parameter, else {words}"
        rows.append([f"`{kind}`", default, inline(kinds[f"``{kind}``"])])
    return [
        *module_heading(time_limits, "Deadlines and time limits", "deadlines"),
        *module_members(time_limits, skip=("BUILT_IN",)),
        "### Deadline kinds {#deadline-kinds}", "",
        inline(comments(time_limits)["BUILT_IN"]), "",
        *table(rows, ["kind", "default length", "what it measures"]), "",
        f"- any other kind: {inline(kinds['any other kind'])}", "",
        "A partnership's deadlines are not a process's: "
        + ", ".join(f"`{k}`" for k in deadlines.PARTNER_KINDS)
        + f" (module `{deadlines.__name__}`).", "",
    ]


def duties_section() -> list[str]:
    from reciprocity.lifecycle import duties  # noqa: PLC0415

    kinds = dict(definitions_in(duties.__doc__))
    rows = [[f"`{kind}`", inline(kinds[f"``{kind}``"])] for kind in duties.DUTY_KINDS]
    first = inspect.cleandoc(duties.__doc__ or "").split("\n\n")
    return [
        *module_heading(duties, "Duties", "duties"),
        md("\n\n".join(first[:2])), "",
        "### Duty kinds {#duty-kinds}", "",
        *table(rows, ["kind", "what it is, and who holds it"]), "",
        *member(duties, "Duty"),
        *member(duties, "Obligation"),
        *member(duties, "obligations"),
    ]


def partnership_section() -> list[str]:
    from reciprocity import partnership  # noqa: PLC0415
    from reciprocity.partnership import policy  # noqa: PLC0415

    return [*module_heading(partnership, "Partnership", "partnership"), md(policy.__doc__), "",
            *(line for name in partnership.__all__ for line in member(partnership, name))]
