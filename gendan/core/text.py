"""Normalising what people type or paste."""

import unicodedata


def normalize_code(value: str) -> str:
    """A code as stored: full-width letters and digits (`Ｃ００１`, typed with a Chinese input method) become
    their ASCII forms (`C001`), so searching `C001` finds it and the same code cannot be entered twice."""
    return unicodedata.normalize("NFKC", value or "").strip()


class NormalizedCodeMixin:
    """For models whose `code` people type: it is normalised before it is validated, so uniqueness is judged
    on the stored form. Every service saves through `full_clean()`, so forms, imports and the API agree."""

    def clean_fields(self, exclude=None):
        self.code = normalize_code(self.code)
        super().clean_fields(exclude)
