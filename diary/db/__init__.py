"""The diary's storage: SQLite through two doors: lean for quick logging, SQLModel for the rest."""
