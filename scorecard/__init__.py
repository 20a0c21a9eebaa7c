"""scorecard: NHS performance indicator assurance scorecards from NHS England's published files."""

__version__ = "0.1.0"
