"""The names of the files the addons serve: the name of a unit, an organisation or a person in them is cut short.

A download's file name travels in its Content-Disposition header, percent-encoded: a Chinese character takes nine
bytes there. A unit named in a thousand characters would make a header of over 8 KB, which nginx refuses (a 502
instead of the file). Every name the addons put in a file name goes through `file_name_part`.
"""

import re

# The most characters of a name in a file name: a header of about 600 bytes at most for a Chinese name.
FILE_NAME_PART_MAX = 60
# An uploaded file's extension kept as such (longer, it is no extension).
EXTENSION_MAX = 10
_BLANKS = re.compile(r"[\s\x01-\x1f\x7f]+")


def file_name_part(name, limit=FILE_NAME_PART_MAX):
    """`name` (any value, False included) on one line and at most `limit` characters, cut with an ellipsis. (A NUL
    is left to the input checks, which refuse it.)"""
    text = _BLANKS.sub(" ", str(name or "")).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def short_file_name(filename, limit=FILE_NAME_PART_MAX):
    """An uploaded file's name with its stem cut to `limit` characters and its extension kept."""
    if not filename or not isinstance(filename, str):
        return filename
    stem, dot, extension = filename.rpartition(".")
    if not dot or not stem or len(extension) > EXTENSION_MAX:
        return file_name_part(filename, limit)
    return f"{file_name_part(stem, limit)}.{file_name_part(extension, EXTENSION_MAX)}"
