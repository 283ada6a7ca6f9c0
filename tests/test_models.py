"""How the database is opened and what it enforces."""

import uuid
from typing import ClassVar

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pwa import create_app
from pwa.config import TestConfig
from pwa.extensions import db
from pwa.models import Plate


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    class FileConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'app.db'}"
        SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {}

    app = create_app(FileConfig)
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_a_plate_needs_its_report(app):
    with app.app_context():
        db.session.add(Plate(report_id=12345, country="SE", text="ABC123"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_client_ids_are_unique(app, harbour):
    from datetime import UTC, datetime

    from pwa.models import Report

    client_id = uuid.uuid4()
    with app.app_context():
        for reference in ("AAAAAAAAAA", "BBBBBBBBBB"):
            db.session.add(
                Report(
                    client_id=client_id,
                    reference=reference,
                    harbour_id=harbour,
                    observed_at=datetime.now(UTC),
                    categories=["boat"],
                    what_happened="x",
                    fingerprint="0" * 64,
                )
            )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
