"""Small widgets shared by more than one screen (each styles itself with ``DEFAULT_CSS``)."""

from __future__ import annotations

from diary.tui.widgets.alert import AlertModal

__all__ = ["AlertModal"]
