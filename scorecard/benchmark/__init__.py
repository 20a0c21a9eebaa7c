"""Benchmarking: how an organisation stands among its peers.

Pure: `ranking` (ranks, quartiles, the peers' spread), `nof` (NHS Oversight Framework
metric scores), `funnel` (a funnel plot's centre, limits, over-dispersion and each unit's
flag), `funnel_limits` (control limits at any denominator, by method), `dispersion`
(z-scores, Winsorisation or truncation, φ and τ²) and `stats` (the normal, binomial and
R type-7 quantile functions they need, written out with the standard library).
Reading the store: `peers` (peer groups), `standings` (every organisation's standing at
once), `league` (a league table), `board` (a board's "among peers" column) and `outputs`
(writing league tables and funnel plots). Import from the modules themselves.
"""
