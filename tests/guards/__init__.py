"""Tests written to kill mutants of the guard modules (see ``tests/README.md``)."""
