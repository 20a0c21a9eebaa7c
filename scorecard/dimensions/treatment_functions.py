"""RTT treatment functions: the specialties NHS England publishes the waiting list by.

Keys are the treatment function codes without the layout's prefix: `C_110` (workbooks from
2016), `110` (the Full CSV data file) and `IP110` (workbooks before 2016) are all `110`.
The "Other" groups are `X01` (to March 2021) and `X02` ... `X06` (from April 2021). The
total row (`C_999`, `IP999`, `999`) is the whole, never a part. Names are those of the
workbooks since 2021.
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


def key(code: str) -> str:
    """The key of a published treatment function code (`C_110`, `IP110`, `110`, `IPX01`)."""
    text = code.strip().upper()
    for prefix in ("C_", "IP"):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text
