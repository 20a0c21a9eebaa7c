"""`python -m scorecard`: the same as the `scorecard` command."""

from scorecard.cli import main

main()
