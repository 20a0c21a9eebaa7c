"""Renderers: a finished Scorecard in, HTML or tables out. They never compute values."""
