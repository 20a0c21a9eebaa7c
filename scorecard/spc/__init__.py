"""Making Data Count SPC: `analysis` (limits, rules and icons for a series), `rules`
(the special-cause rules in exact arithmetic), `icons` (the two icons and their words) and
`result` (the types an analysis returns). Import from the modules themselves."""
