"""Safe circulation: Kent RP MoU §4.2 and process Request stage (partners with homes in the
requested areas), KRS points 8-9 (only safe councils), Kent RP MoU §5.5 (partners in notice
still receive requests)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from reciprocity.lifecycle.circulation import Reason, areas_of, recipients
from reciprocity.model import MembershipStatus, Partner, Referral
from reciprocity.testing import partners, referrals

SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")


def partner(pid: str, *areas: str, kind: str = "registered_provider", **membership: str) -> Partner:
    extra = {"authority_area": areas[0]} if kind == "local_authority" else {}
    return Partner.model_validate({"id": pid, "kind": kind, "stock_areas": list(areas),
                                   "membership": {"joined_on": "2023-01-01", **membership}, **extra})


REFERRAL = Referral.model_validate({
    "referred_on": "2026-04-01",
    "nominating_partner": {"id": "orchard", "kind": "registered_provider", "stock_areas": ["thanet"]},
    "unsafe_areas": ["maidstone"],
    "requested_areas": ["thanet", "dover"],
})
DIRECTORY = [
    partner("orchard", "thanet"),
    partner("coast", "thanet", "dover"),
    partner("weald", "dover", "maidstone"),
    partner("maidstone_bc", "maidstone", kind="local_authority"),
    partner("ashford_bc", "ashford", kind="local_authority"),
    partner("leaving", "dover", notice_given_on="2026-01-10"),
    partner("in_notice", "dover", notice_given_on="2026-03-20"),
    Partner.model_validate({"id": "unknown", "kind": "registered_provider", "stock_areas": ["dover"]}),
]


def test_who_receives_and_why_the_others_do_not() -> None:
    sent = recipients(REFERRAL, DIRECTORY, on=date(2026, 4, 2))
    assert sent.recipients == ("coast", "in_notice")
    assert {e.partner: e.reason for e in sent.excluded} == {
        "orchard": Reason.NOMINATOR,
        "weald": Reason.HOMES_IN_UNSAFE_AREA,
        "maidstone_bc": Reason.UNSAFE_AREA,
        "ashford_bc": Reason.NO_HOMES_IN_REQUESTED_AREA,
        "leaving": Reason.NOT_A_MEMBER,
        "unknown": Reason.MEMBERSHIP_UNKNOWN,
    }


def test_no_circulation_without_the_unsafe_areas() -> None:
    unknown = REFERRAL.model_copy(update={"unsafe_areas": None})
    with pytest.raises(ValueError, match="unsafe areas are not recorded"):
        recipients(unknown, DIRECTORY, on=date(2026, 4, 2))


@pytest.mark.parametrize("scheme_id", SCHEMES)
@given(data=st.data())
def test_never_to_an_unsafe_area_or_the_nominator(scheme_id: str, data: st.DataObject) -> None:
    referral = data.draw(referrals(scheme_id), label="referral")
    assume(referral.unsafe_areas is not None)
    directory = data.draw(st.lists(partners(scheme_id), max_size=8, unique_by=lambda p: p.id), label="partners")
    on = data.draw(st.dates(date(2020, 1, 1), date(2035, 12, 31)), label="on")
    sent = recipients(referral, directory, on=on)
    by_id = {p.id: p for p in directory}
    unsafe = set(referral.unsafe_areas or ())
    assert referral.nominating_partner.id not in sent.recipients
    for pid in sent.recipients:
        found = by_id[pid]
        assert not (areas_of(found) & unsafe)
        assert areas_of(found) & set(referral.requested_areas or ())
        assert found.membership is not None
        assert found.membership.status_on(on) in {MembershipStatus.ACTIVE, MembershipStatus.NOTICE_GIVEN}
    assert len(sent.recipients) + len(sent.excluded) == len(directory)
