"""Static files under content-hashed names, so a browser may keep them for a year."""

import hashlib
from pathlib import Path

from flask import abort, current_app, send_from_directory, url_for

YEAR = 365 * 24 * 3600


class Assets:
    """Map each file under static/ to its hashed name and back."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.hashed = {}
        for path in sorted(self.folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                relative = path.relative_to(self.folder)
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
                hashed = relative.with_name(f"{relative.stem}.{digest}{relative.suffix}")
                self.hashed[relative.as_posix()] = hashed.as_posix()
        self.logical = {hashed: name for name, hashed in self.hashed.items()}

    def url(self, name):
        """Return the URL of a static file under its hashed name."""
        return url_for("static", filename=self.hashed[name])

    def serve(self, filename):
        """Serve a file: for a year under its hashed name, revalidated under its plain name."""
        if filename in self.logical:
            response = send_from_directory(self.folder, self.logical[filename], max_age=YEAR)
            response.cache_control.immutable = True
            return response
        if filename in self.hashed:
            response = send_from_directory(self.folder, filename, max_age=0)
            response.cache_control.no_cache = True
            return response
        abort(404)


def init_app(app):
    assets = Assets(app.static_folder)
    app.extensions["assets"] = assets
    app.view_functions["static"] = assets.serve
    app.jinja_env.globals["asset_url"] = assets.url


def current_assets():
    return current_app.extensions["assets"]
