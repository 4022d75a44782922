"""The doctor report: matplotlib charts (object-oriented API only) and the PDF/PNG assembly."""
