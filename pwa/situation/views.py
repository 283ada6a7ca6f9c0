"""The lägesbild's pages."""

from . import bp, counts, public_bp  # noqa: F401
