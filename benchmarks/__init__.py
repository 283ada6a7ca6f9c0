"""Benchmarks of the app: page weight, throughput and Lighthouse scores (see each module)."""
