"""The CSV contract: export everything, import it back all-or-nothing.

Eight UTF-8 files with a header row, their columns and the spreadsheet-safety escape fixed by
``contract``. ``export`` writes them whole or not at all. An import reads every file safely
(``reading``: size limits, streaming lines, UTF-8, headers), validates every row before writing any
(``parsing``, quickly through ``validating``) and then writes them all in one transaction
(``writing``): one bad row and nothing changes, and rows that would overwrite different stored
values need the caller's consent.

The front ends call what is named here; the modules hold the rest.
"""

from diary.csvio.export import export_all
from diary.csvio.parsing import ImportFailed, ParsedFile, read_import
from diary.csvio.writing import ImportSummary, WouldReplace, import_path, write_import

__all__ = [
    "ImportFailed",
    "ImportSummary",
    "ParsedFile",
    "WouldReplace",
    "export_all",
    "import_path",
    "read_import",
    "write_import",
]
