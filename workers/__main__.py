"""`python -m workers ...` is the `tollwatch` command."""

from workers.cli import main

main()
