"""Document ingestion: loading, structure detection and chunking."""
