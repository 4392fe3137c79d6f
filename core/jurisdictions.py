"""Jurisdiction codes as the names a reader knows, in the reader's language: CN-ZJ → Zhejiang, 浙江省.

Codes are ISO 3166-1 countries (CN, US), ISO 3166-2 subdivisions (CN-ZJ) and EU. The names and
their Chinese translations come from pycountry, which ships the ISO 3166 tables and the
Debian iso-codes translations (no network). Two things it does not do as a reader expects:
- ISO 3166-2 writes China's provinces in pinyin with their kind ("Zhejiang Sheng", "Beijing Shi",
  "Guangxi Zhuangzu Zizhiqu"); English names here drop the kind, as English texts do;
- EU is only reserved in ISO 3166-1, so pycountry has no record of it.
A code pycountry does not know is shown as it is.
"""

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language

RESERVED = {"EU": ("European Union", "欧盟")}

# English usage where dropping the kind from the ISO name is not enough.
ENGLISH_NAMES = {
    "CN-NM": "Inner Mongolia",
    "CN-XZ": "Tibet",
    "CN-GX": "Guangxi",
    "CN-NX": "Ningxia",
    "CN-XJ": "Xinjiang",
    "CN-HK": "Hong Kong",
    "CN-MO": "Macao",
    "CN-TW": "Taiwan",
}
CHINESE_PROVINCE_KINDS = (" Sheng", " Shi", " Zizhiqu")


@lru_cache(maxsize=2)
def _chinese(domain):
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


def reader_language_is_chinese():
    return (get_language() or "").lower().startswith("zh")


def jurisdiction_name(code, chinese=None):
    """The name of jurisdiction `code` in English, or in Chinese when `chinese` (default: the reader's language)."""
    if chinese is None:
        chinese = reader_language_is_chinese()
    return _name(code or "", chinese)


@lru_cache(maxsize=1024)
def _name(code, chinese):
    if code in RESERVED:
        return RESERVED[code][1 if chinese else 0]
    if "-" in code:
        record = pycountry.subdivisions.get(code=code)
        if record is None:
            return code
        if chinese:
            return _chinese("iso3166-2").gettext(record.name)
        if code in ENGLISH_NAMES:
            return ENGLISH_NAMES[code]
        name = record.name
        if code.startswith("CN-"):
            for kind in CHINESE_PROVINCE_KINDS:
                name = name.removesuffix(kind)
        return name
    record = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if record is None:
        return code
    if chinese:
        return _chinese("iso3166-1").gettext(record.name)
    return getattr(record, "common_name", None) or record.name
