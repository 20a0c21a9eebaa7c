"""NHS England's cancer waiting times (CWT) publications: one module per kind of sheet.

`sheet` reads a commissioner workbook sheet (stacked sections under one header, repeated
column names, halves) and `checks` holds the sums every sheet must meet; `commissioner`
reads the sheets of the whole (all routes, all stages) from October 2023, `legacy` the
sheets of the standards retired at the end of September 2023, and `provider` the monthly
provider data extract (one long table).
"""
