"""The Textual terminal app: log in seconds, history, medications, insights and the report."""
