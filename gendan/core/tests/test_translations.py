"""Chinese first: every UI string has its zh-hans translation, and the compiled catalogue is current."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def catalogue(language: str):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po)


def test_every_message_is_translated_into_chinese():
    missing = [m.id for m in catalogue("zh_Hans") if m.id and not (m.string if isinstance(m.string, str)
                                                                    else all(m.string))]
    fuzzy = [m.id for m in catalogue("zh_Hans") if m.id and m.fuzzy]
    assert not missing, f"untranslated: {missing[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_compiled_catalogue_matches_the_po_file(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        compiled = read_mo(mo)
    source = catalogue(language)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in source
                  if m.id and (m.string if isinstance(m.string, str) else all(m.string))}
    assert translated <= {m.id if isinstance(m.id, str) else m.id[0] for m in compiled if m.id}
