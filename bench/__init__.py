"""Benchmarks behind scripts/bench: each bench_*.py module has run(quick)."""
