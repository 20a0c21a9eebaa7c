"""Benchmarking: where an organisation stands among its peers (ranks, quartiles, funnel
plots, NHS Oversight Framework metric scores, league tables)."""
