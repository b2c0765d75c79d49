"""The scheme author's reference: what a scheme package can declare and read, generated from
the library's public names so it cannot drift from them.

:func:`scheme_author_reference` builds the page (``docs/scheme-authors.md``) from the modules
a scheme author uses: their ``__all__``, their docstrings, the arguments of the classes a
scheme builds, and tables made from the data itself: every core fact and the referral fields
it reads, every event of the case vocabulary with its payload, the deadline and duty kinds,
the parties, the ledger kinds, the size standards and the security scale, and the keys of an
areas file. ``reciprocity docs --reference docs/scheme-authors.md`` writes it, and the
project's tests fail while the committed page differs from what this function returns.

Nothing here imports a scheme package: the page describes the core only.

The modules, each built on those before it:

- ``markdown``: docstrings as Markdown (roles, code, tables, definition lists);
- ``names``: types, signatures, class arguments, model fields, enumeration values and a
  module's public names as the page shows them;
- ``examples``: the example declarations the page shows and builds its examples with;
- ``scheme_sections`` and ``process_sections``: the page's sections, on what a scheme declares
  and on the case process;
- ``page``: the page itself, its sections in order.
"""

from reciprocity.authoring.page import (
    REFERENCE_HEADER,
    scheme_author_reference,
    write_scheme_author_reference,
)

__all__ = ["REFERENCE_HEADER", "scheme_author_reference", "write_scheme_author_reference"]
