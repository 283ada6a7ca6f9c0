"""Lighthouse scores of the public pages: performance, accessibility, best practices, SEO.

Runs the npm `lighthouse` (node_modules/.bin, from `npm ci`) with Debian's Chromium against
the app under gunicorn on a fresh database, mobile form factor with simulated throttling
(its defaults), one page after the other. Prints the four scores per page and, for any
category under 95, the audits that fail in it. On 127.0.0.1, SEO's crawlability audits pass
as they would in production. Exits 1 if any score is under 95. Run it with

    .venv/bin/python -m benchmarks.lighthouse [PATH ...]
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

from .reporting import fresh_database
from .server import ROOT, gunicorn

PAGES = ("/sv/", "/sv/promise", "/en/", "/en/promise")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
THRESHOLD = 95
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
#: Lighthouse shows a score of 0.9 or more as passed.
PASSED = 0.9


#: Lighthouse at times fails to record a trace (NO_NAVSTART) and asks to be run again.
ATTEMPTS = 3


def audit(url, report):
    """Run Lighthouse on `url` and return its report (the LHR) as a dict."""
    command = [
        LIGHTHOUSE,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
    ]
    for attempt in range(1, ATTEMPTS + 1):
        run = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=False)
        if run.returncode == 0 or attempt == ATTEMPTS:
            run.check_returncode()
            return json.loads(Path(report).read_text())
        print(f"  Lighthouse failed on {url}; running it again", file=sys.stderr)


def failing_audits(lhr, category):
    """Yield (id, title, displayed value) of each audit in `category` that Lighthouse fails."""
    for ref in lhr["categories"][category]["auditRefs"]:
        result = lhr["audits"][ref["id"]]
        if result["score"] is not None and result["score"] < PASSED:
            yield ref["id"], result["title"], result.get("displayValue", "")


def main():
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` (or `make setup`) first")
    failed = False
    print(f"{'page':<14}" + "".join(f"{name:>16}" for name in CATEGORIES))
    with (
        fresh_database() as (env, _url),
        gunicorn(env=env) as base,
        tempfile.TemporaryDirectory() as folder,
    ):
        for number, path in enumerate(sys.argv[1:] or PAGES):
            lhr = audit(base + path, Path(folder) / f"{number}.json")
            if lhr.get("runtimeError"):
                print(f"{path:<14}Lighthouse failed: {lhr['runtimeError']['message']}")
                failed = True
                continue
            scores = {
                name: round((lhr["categories"][name]["score"] or 0) * 100) for name in CATEGORIES
            }
            print(f"{path:<14}" + "".join(f"{scores[name]:>16}" for name in CATEGORIES))
            for name in CATEGORIES:
                if scores[name] < THRESHOLD:
                    failed = True
                    for audit_id, title, value in failing_audits(lhr, name):
                        print(f"  {name}: {audit_id}: {title}" + (f" ({value})" if value else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
