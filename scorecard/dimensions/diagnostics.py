"""DM01 diagnostic tests: the 15 tests NHS England publishes waits and activity by.

Keys are short stable names, taken from the test's name: the sheet's `Diagnostic ID`
numbers 1-15 follow the order of the DM01 guidance (imaging 1-5, physiological measurement
6-11, endoscopy 12-15) rather than a published code list, so a name decides. Names are
shown as NHS England prints them (the "Provider by Test" sheet, 2019-20). A published name
is matched ignoring case, spacing, dashes and `&`/`and` (`Non-obstetric ultrasound`,
`Urodynamics - pressures and flows`), and under the older wording in ALIASES. A name that
matches none is not stored under a key made from it: it would start a new series beside the
test's own (a reworded name, say) and leave a board row naming the test blank, so the layout
refuses it, naming the row (`key` returns None). The `Total` row is the whole (TOTAL_NAME,
Diagnostic ID 16), never a part.
"""

from __future__ import annotations

import re

LABELS: dict[str, str] = {
    "mri": "Magnetic Resonance Imaging",
    "ct": "Computed Tomography",
    "ultrasound": "Non-obstetric Ultrasound",
    "barium_enema": "Barium Enema",
    "dexa": "DEXA Scan",
    "audiology": "Audiology - Audiology Assessments",
    "echocardiography": "Cardiology - Echocardiography",
    "electrophysiology": "Cardiology - Electrophysiology",
    "neurophysiology": "Neurophysiology - Peripheral Neurophysiology",
    "sleep_studies": "Respiratory physiology - Sleep Studies",
    "urodynamics": "Urodynamics - Pressures & Flows",
    "colonoscopy": "Colonoscopy",
    "flexi_sigmoidoscopy": "Flexi Sigmoidoscopy",
    "cystoscopy": "Cystoscopy",
    "gastroscopy": "Gastroscopy",
}
# The published Diagnostic ID of each test (the row order of every DM01 sheet); 16 is Total.
IDS: dict[str, int] = {key: i for i, key in enumerate(LABELS, start=1)}
TOTAL_ID = 16
TOTAL_NAME = "Total"
# Shorter wordings of a test's name (the ones analysts and NHS England's statistical notes
# use, such as MRI and CT), accepted where a name is read.
ALIASES: dict[str, str] = {
    "MRI": "mri",
    "CT": "ct",
    "Ultrasound": "ultrasound",
    "DEXA": "dexa",
    "Audiology assessments": "audiology",
    "Echocardiography": "echocardiography",
    "Electrophysiology": "electrophysiology",
    "Peripheral neurophysiology": "neurophysiology",
    "Sleep studies": "sleep_studies",
    "Urodynamics": "urodynamics",
    "Flexible sigmoidoscopy": "flexi_sigmoidoscopy",
    "Flexi-sigmoidoscopy": "flexi_sigmoidoscopy",
}
_PUNCTUATION = re.compile(r"[\s\-\u2010-\u2015/,.()]+")


def _folded(name: str) -> str:
    """A name with case, spacing, dashes and `&` / `and` ignored."""
    text = name.casefold().replace("&", " and ")
    return " ".join(w for w in _PUNCTUATION.split(text) if w)


_BY_NAME: dict[str, str] = {
    **{_folded(name): key for key, name in LABELS.items()},
    **{_folded(alias): key for alias, key in ALIASES.items()},
    **{_folded(key): key for key in LABELS},
}


def key(name: str) -> str | None:
    """The key of a published test name (None: not one of the 15 tests, or the Total)."""
    return _BY_NAME.get(_folded(name))


def is_total(name: str) -> bool:
    """Whether a `Diagnostic Test Name` is the whole (the provider's or England's Total)."""
    return _folded(name) == _folded(TOTAL_NAME)
