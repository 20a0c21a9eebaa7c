"""`python -m scorecard`: the same as the `scorecard` command."""

from scorecard.cli import main

if __name__ == "__main__":  # a worker process imports this module again (scorecard.parallel)
    main()
