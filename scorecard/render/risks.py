"""Pure: a board's risk register as escaped HTML: the register, its heat map, closed risks.

The register lists every risk by current score (highest first, then ID) with its band,
current and target scores, owner, controls, actions, review date and movement since the
register before. The heat map counts the risks in each likelihood x impact cell; each cell
says its count, band and score in words as well as colour, and every movement arrow comes
with its word, so a greyscale print loses nothing. Text from the register files is escaped.
"""

from __future__ import annotations

from html import escape

from scorecard.model import Rating, Scorecard
from scorecard.render.cells import colours
from scorecard.risks.types import SCALE, Movement, RatedRisk, Risk, RiskBand, RiskRegister

ARROWS = {Movement.UP: "&#8593;", Movement.DOWN: "&#8595;", Movement.SAME: "&#8596;"}


def band_style(band: RiskBand) -> str:
    fill, text = colours(Rating(band.colour))
    return f"background-color: {fill}; color: {text};"


def band_badge(band: RiskBand, score: int) -> str:
    """`Extreme 16` on the band's colour."""
    return f'<span class="sc-rag" style="{band_style(band)}">{escape(band.name)} {score}</span>'


def movement_text(rated: RatedRisk) -> str:
    """`up from 12`, `down from 16`, `no change`, `new`, or `` with no register before."""
    if rated.movement is None:
        return ""
    if rated.movement is Movement.NEW:
        return "new"
    if rated.movement is Movement.SAME:
        return "no change"
    return f"{rated.movement.value} from {rated.previous_score}"


def movement_html(rated: RatedRisk) -> str:
    text = movement_text(rated)
    if not text:
        return '<span class="sc-none">no register before</span>'
    arrow = ARROWS.get(rated.movement) if rated.movement else None
    mark = f'<span aria-hidden="true">{arrow}</span> ' if arrow else ""
    return mark + escape(text[0].upper() + text[1:])


def risk_line(rated: RatedRisk) -> str:
    """One risk in a line (for the domain summary): ID, title, band and score, movement."""
    risk = rated.risk
    moved = movement_text(rated)
    return (
        f"<li>{escape(risk.id)} {escape(risk.title)}: {band_badge(rated.band, risk.score)}"
        + (f" ({movement_html(rated)})" if moved else "")
        + "</li>"
    )


def _scores(likelihood: int, impact: int, band: RiskBand) -> str:
    return f"{band_badge(band, likelihood * impact)}<br><small>{likelihood} x {impact}</small>"


def _row(rated: RatedRisk) -> str:
    r = rated.risk
    review = r.review.strftime("%d %b %Y") if r.review else "Not set"
    cells = [
        escape(r.id),
        escape(r.title),
        escape(r.domain or "Not linked"),
        escape(r.owner),
        _scores(r.likelihood, r.impact, rated.band),
        movement_html(rated),
        _scores(r.target_likelihood, r.target_impact, rated.target_band),
        escape(r.controls),
        escape(r.actions),
        escape(review),
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _about(card: Scorecard, reg: RiskRegister) -> str:
    lines = [f"The register for {reg.period.label()} ({reg.file})"]
    if reg.period != card.period:
        lines[0] += f", the latest up to {card.period.label()}"
    if reg.previous_period is not None:
        lines.append(
            f"movement since {reg.previous_period.label()} ({reg.previous_file}): "
            "up is a higher score, and worse"
        )
    else:
        lines.append("no register before it, so no movement is shown")
    bands = ", ".join(f"{b.name} {b.low}-{b.high}" for b in reg.bands)
    lines.append(f"score = likelihood x impact, each 1-5; bands {bands}")
    return escape("; ".join(lines) + ".")


def heat_html(reg: RiskRegister, bands: tuple[RiskBand, ...]) -> str:
    """The 5 x 5 heat map: likelihood down (5 at the top), impact across."""
    total = sum(map(sum, reg.heat))
    head = "".join(f'<th scope="col">{i}</th>' for i in SCALE)
    body = []
    for likelihood, counts in zip(reversed(SCALE), reg.heat, strict=True):
        cells = []
        for impact, count in zip(SCALE, counts, strict=True):
            score = likelihood * impact
            band = next(b for b in bands if b.holds(score))
            cells.append(
                f'<td style="{band_style(band)}"><strong>{count}</strong><br>'
                f"<small>{escape(band.name)} {score}</small></td>"
            )
        body.append(f'<tr><th scope="row">{likelihood}</th>{"".join(cells)}</tr>')
    about = (
        f"The {total} {'risk' if total == 1 else 'risks'} of the register by current "
        "likelihood (rows) and impact (columns): each cell gives its count, then its band and "
        "score."
    )
    return (
        f'<h4>Heat map</h4>\n<p>{escape(about)}</p>\n<table class="sc-plain sc-heat">\n'
        f'<thead><tr><th scope="col">Likelihood \\ Impact</th>{head}</tr></thead>\n'
        f"<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"
    )


def _closed(reg: RiskRegister) -> str:
    if not reg.closed or reg.previous_period is None:
        return ""

    def was(r: Risk) -> str:
        band = next(b for b in reg.bands if b.holds(r.score))
        return f"{r.id} {r.title} (was {band.name} {r.score})"

    text = "; ".join(was(r) for r in reg.closed)
    return f"<p>Closed since {escape(reg.previous_period.label())}: {escape(text)}.</p>"


def risks_html(card: Scorecard) -> str:
    """The risk register section, or nothing when the board declares none."""
    reg = card.risks
    if reg is None:
        return _no_register(card)
    heads = ["ID", "Risk", "Domain", "Owner", "Current score", "Movement", "Target score"]
    heads += ["Controls", "Actions", "Review date"]
    thead = "".join(f'<th scope="col">{h}</th>' for h in heads)
    rows = "\n".join(_row(r) for r in reg.risks) or (
        f'<tr><td colspan="{len(heads)}">No risks in this register.</td></tr>'
    )
    return "\n".join(
        part
        for part in (
            '<div class="sc-risks">\n<h3>Risk register</h3>',
            f'<p class="sc-meta">{_about(card, reg)}</p>',
            f'<table class="sc-plain sc-register">\n<thead><tr>{thead}</tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>\n</table>",
            _closed(reg),
            heat_html(reg, reg.bands),
            "</div>",
        )
        if part
    )


def _no_register(card: Scorecard) -> str:
    """What a board declaring a register says when no file is up to its month."""
    if card.risk_folder is None:
        return ""
    text = f"No risk register in {card.risk_folder} for {card.period.label()} or earlier."
    head = '<div class="sc-risks">\n<h3>Risk register</h3>\n'
    return f'{head}<p class="sc-none">{escape(text)}</p>\n</div>'
