"""Benchmarking: how an organisation stands among its peers.

`funnel` (a funnel plot's centre, limits, over-dispersion and each unit's flag, as plain
data), `funnel_limits` (control limits at any denominator, by method), `dispersion`
(z-scores, Winsorisation or truncation, φ and τ²) and `stats` (the normal, binomial and
R type-7 quantile functions they need, written out with the standard library). All pure:
no files, no store. Import from the modules themselves.
"""
