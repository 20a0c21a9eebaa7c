"""RTT treatment functions: the specialties NHS England publishes the waiting list by.

Keys are the treatment function codes without the layout's prefix: `C_110` (workbooks from
2016 and the Full CSV data file), `IP110` (incomplete), `AP110` (admitted) and `NP110`
(non-admitted) in the workbooks before 2016, and a bare `110`, are all `110`. The "Other"
groups are `X01` (to March 2021) and `X02` ... `X06` (from April 2021). The total row
(`C_999`, `IP999`, `AP999`, `NP999`) is the whole, never a part: key `999` (TOTAL).

Names are today's without the " Service" the September 2025 workbooks add ("Trauma and
Orthopaedic Service" is shown as "Trauma and Orthopaedic"); the March 2015 workbooks' own
names ("Trauma & Orthopaedics", "ENT", "Thoracic Medicine", "Geriatric Medicine",
"General Medicine", "Neurosurgery", "Other") name the same codes.
"""

from __future__ import annotations

TOTAL = "999"
LABELS: dict[str, str] = {
    "100": "General Surgery",
    "101": "Urology",
    "110": "Trauma and Orthopaedic",
    "120": "Ear Nose and Throat",
    "130": "Ophthalmology",
    "140": "Oral Surgery",
    "150": "Neurosurgical",
    "160": "Plastic Surgery",
    "170": "Cardiothoracic Surgery",
    "300": "General Internal Medicine",
    "301": "Gastroenterology",
    "320": "Cardiology",
    "330": "Dermatology",
    "340": "Respiratory Medicine",
    "400": "Neurology",
    "410": "Rheumatology",
    "430": "Elderly Medicine",
    "502": "Gynaecology",
    "X01": "Other",
    "X02": "Other - Medical Services",
    "X03": "Other - Mental Health Services",
    "X04": "Other - Paediatric Services",
    "X05": "Other - Surgical Services",
    "X06": "Other - Other Services",
}
PREFIXES = ("C_", "IP", "AP", "NP")


def key(code: str) -> str:
    """The key of a published treatment function code (`C_110`, `IP110`, `110`, `IPX01`)."""
    text = code.strip().upper()
    for prefix in PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :]
    return text


def is_total(code: str) -> bool:
    """Whether a published code is the all-specialties row (`C_999`, `IP999`, ...)."""
    return key(code) == TOTAL
