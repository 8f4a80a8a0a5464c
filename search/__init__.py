"""Full-text search: one port (``search.port``), two backends (embedded SQLite FTS5 now;
Elasticsearch to come), a transactional outbox for indexing, and the search pages.
``search`` knows no workflow: workflows register their sources in ``search.registry``."""
