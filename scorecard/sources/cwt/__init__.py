"""NHS England's cancer waiting times (CWT) publications: one module per kind of sheet.

`sheet` reads a commissioner workbook sheet (stacked sections under one header, a part
column where the sheet breaks a section down, repeated column names, halves), `checks` holds
the sums every sheet must meet across its rows, `layouts` the columns of the sheets from
October 2023 and `frames` turns checked rows into the Extract (the whole as observations,
the parts as drill-downs). `commissioner` reads the sheets of the whole (all routes, all
stages) and by cancer type, `parts` the breakdowns by route and modality and the
referral-to-first-appointment sheets, `legacy` the sheets of the standards retired at the end
of September 2023, and `provider` (with `provider_frames`) the monthly provider data extract.
"""
