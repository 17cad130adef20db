"""Merge a freshly exported .pot into a language's .po, keeping the translations it already has.

Usage: i18n_merge.py addon.pot zh_CN.po  — prints how many entries are still untranslated.
"""

import sys

import polib


def merge(pot_path, po_path):
    pot = polib.pofile(pot_path)
    try:
        old = {entry.msgid: entry for entry in polib.pofile(po_path)}
    except OSError:
        old = {}
    po = polib.POFile(wrapwidth=pot.wrapwidth)
    po.metadata = dict(pot.metadata, Language="zh_CN", **{"Plural-Forms": "nplurals=1; plural=0;"})
    for entry in pot:
        previous = old.get(entry.msgid)
        entry.msgstr = previous.msgstr if previous else ""
        po.append(entry)
    po.save(po_path)
    return sum(1 for entry in po if not entry.msgstr)


if __name__ == "__main__":
    missing = merge(sys.argv[1], sys.argv[2])
    print(f"{sys.argv[2]}: {missing} untranslated")
