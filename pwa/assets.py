"""Static files under content-hashed names, so a browser may keep them for a year."""

import gzip
import hashlib
import mimetypes
from functools import cached_property
from pathlib import Path

import brotli
from flask import abort, current_app, request, url_for

YEAR = 365 * 24 * 3600
#: Text compresses well; images are compressed already.
COMPRESSIBLE = (".css", ".js", ".svg", ".json", ".txt")
#: Brotli first: smaller than gzip, and every current browser takes it over HTTPS.
ENCODINGS = ("br", "gzip")


def compress(content, encoding):
    """Return `content` compressed as hard as the encoding can: worth it for what is sent often."""
    if encoding == "br":
        return brotli.compress(content, quality=11)
    return gzip.compress(content, compresslevel=9, mtime=0)


class Asset:
    """One static file, and its text compressed once, as hard as Brotli and gzip can."""

    def __init__(self, path):
        self.content = path.read_bytes()
        self.digest = hashlib.sha256(self.content).hexdigest()
        self.mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.compressible = path.suffix in COMPRESSIBLE

    @cached_property
    def encoded(self):
        """Return the content by encoding, compressed on first use rather than at start-up."""
        if not self.compressible:
            return {}
        return {encoding: compress(self.content, encoding) for encoding in ENCODINGS}


class Assets:
    """Hold the files under static/ in memory, each under its plain and its hashed name."""

    def __init__(self, folder):
        self.hashed = {}
        self.files = {}
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                name = path.relative_to(folder)
                asset = Asset(path)
                hashed = name.with_name(f"{name.stem}.{asset.digest[:8]}{name.suffix}").as_posix()
                self.hashed[name.as_posix()] = hashed
                self.files[name.as_posix()] = self.files[hashed] = asset
        self.logical = {hashed: name for name, hashed in self.hashed.items()}

    def url(self, name):
        """Return the URL of a static file under its hashed name."""
        return url_for("static", filename=self.hashed[name])

    def serve(self, filename):
        """Serve a file: for a year under its hashed name, revalidated under its plain name."""
        if filename not in self.files:
            abort(404)
        asset = self.files[filename]
        encoding = request.accept_encodings.best_match(asset.encoded)
        response = current_app.response_class(
            asset.encoded.get(encoding, asset.content), mimetype=asset.mimetype
        )
        if asset.encoded:
            response.vary.add("Accept-Encoding")
        if encoding:
            response.content_encoding = encoding
        response.set_etag(f"{asset.digest}-{encoding}" if encoding else asset.digest)
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
