"""DM01 diagnostic tests: the 15 tests NHS England publishes waits and activity by.

Keys are short stable names (the sheet's `Diagnostic ID` numbers 1-15 follow its row order,
not a published code list, so the key is taken from the test's name). Names as published.
"""

from __future__ import annotations

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
