"""SQLite, the embedded default: settings every connection gets, whatever DATABASES says."""


def secure_delete(sender, connection, **kwargs):
    """Receiver of connection_created: deleted rows are overwritten with zeros in the database
    file instead of lingering in its free pages, where a copy of the file (a backup, a disk
    sold on) would still hold an erased person's record. Some SQLite builds do it by default,
    others do not."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
