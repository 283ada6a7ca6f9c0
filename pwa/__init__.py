"""Båtsamverkan Oxelösund: a progressive web app for boat watch."""

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    assets,
    audit,
    formatting,
    i18n,
    models,
    rate_limits,
    rendering,
    retention,
    routing,
    security,
)
from .auth import sessions
from .config import ROOT, Config, complete
from .extensions import compress, csrf, db, htmx, migrate
from .reports import notifications


def create_app(config=None):
    """Create the app, configured from the environment or from `config` (a class or dict)."""
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    complete(app.config, app.instance_path)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'app.db'}"
    # Flask gives its logger a handler to stderr; what the app does daily (mail, deletion)
    # is worth seeing there under gunicorn too, which leaves the level at WARNING.
    if app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)

    db.init_app(app)
    models.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    rate_limits.init_app(app)
    i18n.init_app(app)
    formatting.init_app(app)
    rendering.init_app(app)
    audit.init_app(app)
    assets.init_app(app)
    security.init_app(app)
    sessions.init_app(app)
    retention.init_app(app)
    routing.init_app(app)
    notifications.init_app(app)

    from . import cli, errors, shell
    from .admin import views as admin
    from .alerts import views as alerts
    from .auth import views as auth
    from .inbox import views as inbox
    from .public import views as public
    from .reports import views as reports
    from .situation import views as situation

    # Each feature's views add their routes to its blueprint as they are imported.
    for feature in (shell, public, reports, alerts, auth, inbox, admin, situation, cli):
        app.register_blueprint(feature.bp)
    app.register_blueprint(alerts.staff)
    app.register_blueprint(situation.public_bp)
    alerts.init_app(app)
    errors.init_app(app)
    return app
