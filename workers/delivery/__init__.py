"""Alert delivery: the versioned payload, Standard Webhooks signing, retry policy, one POST.

Modules: ``payload`` (transition -> bytes and webhook-id), ``signing`` (sign / verify),
``policy`` (classify a response, schedule the next attempt), ``webhook`` (one POST).
"""
