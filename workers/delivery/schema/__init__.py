"""Package data: the published JSON Schema of the alert webhook payload."""
