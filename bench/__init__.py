"""Benchmark of the performance budgets (docs/design.md; bench/README.md): `make bench` or `.venv/bin/python -m bench.run`."""
