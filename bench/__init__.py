"""Benchmark of DESIGN §7 (see bench/README.md): `make bench` or `.venv/bin/python -m bench.run`."""
