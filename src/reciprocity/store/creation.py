"""Creating a new SQLite store file whole, so an empty file is never a store being made."""

from __future__ import annotations

import os
import random

import sqlalchemy as sa
from sqlalchemy.engine import URL

from reciprocity.store.engine import make_engine, writer, writing
from reciprocity.store.schema import create

__all__ = ["create_whole"]


def create_whole(url: URL, path: str) -> None:
    """Make a new SQLite store at ``path`` whole: built in a file of its own beside it, then
    linked into place only if nothing is there yet (atomic). A file at ``path`` is then never
    an empty file on its way to being a store, so an empty file found there is one to refuse;
    and when several processes create the store at once, one file wins and the others open it."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return  # opening reports the missing folder
    draft = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.{random.getrandbits(32):08x}.new")
    try:
        engine = make_engine(url.set(database=draft))
        try:
            try:
                with writing(writer(engine)) as connection:
                    create(connection, draft)
            except sa.exc.SQLAlchemyError:
                return  # create in place instead, where a failure is reported as usual
            raw = engine.raw_connection()  # outside a transaction, as the journal mode must be set
            try:
                raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # into the header, before the link
            finally:
                raw.close()
        finally:
            engine.dispose()
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: open that one
        except OSError:
            return  # a file system without hard links: create in place, as before
    finally:
        for leftover in (draft, draft + "-wal", draft + "-shm", draft + "-journal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
