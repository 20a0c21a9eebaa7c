"""Cancer waiting times parts: cancer type, referral route and treatment modality.

Keys are short stable names; names as NHS England's commissioner workbooks print them
(from October 2023). The adapters map each era's published wording to these keys.
"""

from __future__ import annotations

TYPES: dict[str, str] = {}
ROUTES: dict[str, str] = {}
MODALITIES: dict[str, str] = {}
