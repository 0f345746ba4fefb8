"""docchat: the web UI, JSON API and embeddable widget."""
