"""The benchmarks are not run by the tests, but they must still run: their imports hold."""

import importlib

import pytest

from pwa.config import ROOT

MODULES = sorted(
    path.stem for path in (ROOT / "benchmarks").glob("*.py") if path.stem != "__init__"
)


@pytest.mark.parametrize("name", MODULES)
def test_every_benchmark_imports(name):
    importlib.import_module(f"benchmarks.{name}")
