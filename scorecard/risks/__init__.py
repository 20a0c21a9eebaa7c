"""The board's risk register: its bands (`[risks]` in a scorecard definition), its files
(one per month) read and validated, and the register at a board's month with each risk's
movement since the file before. The register is the analyst's own configuration, read
when a board is built and never stored.

`types` holds the results (below `scorecard.model`, which carries them on a Scorecard),
`bands` the definition's `[risks]` table, `read` one register file, `register` the
register at a month.
"""
