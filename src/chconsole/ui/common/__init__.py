"""Pieces the views share: the look and small widgets, sections, charts, dialogs, time
editing, the release picker and the domain's words. No view imports another view."""
