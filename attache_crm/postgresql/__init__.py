"""Django's PostgreSQL backend, with the persistent connection's health check at most every few seconds."""
