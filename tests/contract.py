"""The public contract the tests check against, copied from docs/design/FLOWS.md (never derived from the graph).

tests/core/test_paths.py proves PATHS is exactly the FLOWS.md list.
"""

from __future__ import annotations

LANGS = ("pt-BR", "en")

# "Paths a test must cover": flow, answers in order, verdict.
PATHS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("billing-center", ("subscriptions",), "billing-admin"),
    ("billing-center", ("invalid-page", "standard-account"), "standard-account"),
    ("billing-center", ("invalid-page", "corporate-portal", "logged-in"), "corporate-billing-admin"),
    ("billing-center", ("invalid-page", "corporate-portal", "cannot-log-in"), "corporate-not-admin"),
    ("billing-center", ("unsure",), "unsure"),
    ("admin-center", ("subscriptions",), "billing-admin"),
    ("admin-center", ("contact-billing-admin",), "contact-billing-admin"),
    ("admin-center", ("select-product", "cannot-log-in"), "corporate-not-admin"),
    ("admin-center", ("select-product", "logged-in"), "corporate-billing-admin"),
)

# The verdicts table: verdict id -> kind; and the symbol each kind shows besides its word.
VERDICT_KINDS = {
    "billing-admin": "yes",
    "standard-account": "no",
    "contact-billing-admin": "no",
    "corporate-billing-admin": "yes",
    "corporate-not-admin": "no",
    "unsure": "unsure",
}
KIND_SYMBOLS = {"yes": "✔", "no": "✘", "unsure": "?"}
