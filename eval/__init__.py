"""docchat: the evaluation suite (dataset, metrics, report)."""
