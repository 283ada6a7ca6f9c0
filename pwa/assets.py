"""Static files under content-hashed names, so a browser may keep them for a year."""

import hashlib
import mimetypes
from pathlib import Path

from flask import abort, current_app, request, url_for

YEAR = 365 * 24 * 3600


class Assets:
    """Hold the files under static/ in memory, each under its plain and its hashed name."""

    def __init__(self, folder):
        self.hashed = {}
        self.files = {}
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                name = path.relative_to(folder)
                content = path.read_bytes()
                digest = hashlib.sha256(content).hexdigest()
                hashed = name.with_name(f"{name.stem}.{digest[:8]}{name.suffix}").as_posix()
                self.hashed[name.as_posix()] = hashed
                self.files[name.as_posix()] = self.files[hashed] = (content, digest)
        self.logical = {hashed: name for name, hashed in self.hashed.items()}

    def url(self, name):
        """Return the URL of a static file under its hashed name."""
        return url_for("static", filename=self.hashed[name])

    def serve(self, filename):
        """Serve a file: for a year under its hashed name, revalidated under its plain name."""
        if filename not in self.files:
            abort(404)
        content, digest = self.files[filename]
        mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = current_app.response_class(content, mimetype=mimetype)
        response.set_etag(digest)
        if filename in self.logical:
            response.cache_control.max_age = YEAR
            response.cache_control.public = True
            response.cache_control.immutable = True
        else:
            response.cache_control.no_cache = True
        return response.make_conditional(request)


def init_app(app):
    assets = Assets(app.static_folder)
    app.extensions["assets"] = assets
    app.view_functions["static"] = assets.serve
    app.jinja_env.globals["asset_url"] = assets.url
