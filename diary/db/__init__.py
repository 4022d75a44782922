"""The diary's storage: SQLite through two doors, a lean one for quick logging and SQLModel for the rest."""
