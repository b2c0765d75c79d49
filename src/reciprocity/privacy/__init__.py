"""Keeping survivors unidentifiable in what the coordinator sends to partner landlords.

The guarantee
-------------
A case reaches partner landlords only as a :class:`PartnerRequest`, under its Application
Reference Code (:func:`new_arc`; Cambridgeshire draft MoU (001) §3: the ARC is used in all
partnership communications for security). By the types of its fields a request cannot hold a
name, a date of birth, an address, a phone number, an e-mail address, a National Insurance
number or a tenancy reference; a test walks its fields so that a new free-text field fails
the suite. :meth:`PartnerRequest.for_referral` copies only what a landlord must match (the
requested areas, how many adults and children, the bedrooms needed, the tenancy type) and
never the referral's id, the nominating partner, the current landlord, the current or unsafe
areas, the risk details or dates about the household. Its one free-text field, ``notes``, is
at most 280 characters and refused when :func:`find_identifiers` finds anything in it.

Its limits
----------
- :func:`find_identifiers` finds patterns (e-mail addresses, phone numbers, postcodes, NI
  numbers, dates, street addresses, reference numbers, titled names) and the strings the
  caller says it holds, after undoing the usual disguises (full-width letters, zero-width
  and bidi characters, spaced-out digits, "at" and "dot" in words, number words; see
  :mod:`reciprocity.privacy.normalise`); it cannot recognise a bare personal name or a
  description. Notes are therefore kept short, checked against every name the caller's
  system holds (``known``), and best chosen from a fixed vocabulary by the caller.
- Reference fields (case ids and the like) are held to :data:`REFERENCE_PATTERN` and
  screened the same way by :func:`check_reference` (or the pydantic type
  :data:`ReferenceId`), whose errors never repeat the value.
- The request is pseudonymised, not anonymous: household counts, bedrooms, tenancy type and
  requested areas are quasi-identifiers (domain notes, "Data protection"; UK GDPR Art 4(5)).
  It still goes only to the named leads of partners with stock in the requested areas
  (Kent & Medway process 002), under the scheme's data sharing protocol.
- An ARC is random and reveals nothing, so it must be stored when the case is accepted:
  nothing can recompute it.

``import reciprocity`` does not import this package.
"""

from reciprocity.privacy.arc import ALPHABET, Arc, InvalidArcError, is_arc, new_arc, parse_arc
from reciprocity.privacy.identifiers import IdentifierHit, IdentifierKind, find_identifiers
from reciprocity.privacy.normalise import Normalised, normalised
from reciprocity.privacy.reference import (
    REFERENCE_MAX_LENGTH,
    REFERENCE_PATTERN,
    InvalidReferenceError,
    ReferenceId,
    check_reference,
)
from reciprocity.privacy.request import (
    KNOWN_CONTEXT_KEY,
    NOTES_MAX_LENGTH,
    PartnerRequest,
    RequestError,
)

__all__ = [
    "ALPHABET",
    "KNOWN_CONTEXT_KEY",
    "NOTES_MAX_LENGTH",
    "REFERENCE_MAX_LENGTH",
    "REFERENCE_PATTERN",
    "Arc",
    "IdentifierHit",
    "IdentifierKind",
    "InvalidArcError",
    "InvalidReferenceError",
    "Normalised",
    "PartnerRequest",
    "ReferenceId",
    "RequestError",
    "check_reference",
    "find_identifiers",
    "is_arc",
    "new_arc",
    "normalised",
    "parse_arc",
]
