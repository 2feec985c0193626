"""A small ``ast`` mutation-testing tool: ``python -m tools.mutation --help`` (see ``tests/README.md``)."""
