"""Order stores: the protocol in ``base``, one module per backend, and ``open_store`` to pick one.

Only these modules touch a database driver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handler.settings import Settings
    from handler.store.base import OrderStore


async def open_store(settings: Settings) -> OrderStore:
    """MongoDB / DocumentDB when a URI is configured, else the embedded SQLite file."""
    # Each backend is imported only when chosen: PyMongo is a large import the embedded store never needs.
    if settings.mongodb_uri:
        from handler.store.mongo import MongoOrderStore, client_options

        options = client_options(
            deadline_seconds=settings.store_deadline_seconds,
            username=settings.mongodb_username,
            password=settings.mongodb_password,
            tls_ca_file=settings.mongodb_tls_ca_file,
        )
        return MongoOrderStore.connect(settings.mongodb_uri, database=settings.mongodb_database, **options)
    from handler.store.sqlite import SqliteOrderStore

    return await SqliteOrderStore(settings.sqlite_path).open()
