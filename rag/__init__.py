"""docchat: retrieval, answering and the composition root."""
