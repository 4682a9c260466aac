"""The system of record: SQLAlchemy Core tables, migrations and the queries each stage needs."""
