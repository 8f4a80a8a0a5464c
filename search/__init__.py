"""Full-text search port and backends (Elasticsearch, embedded) — built by the search issue."""
