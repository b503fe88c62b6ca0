"""Reporting duty, pure over a snapshot: the duty engine (due times and cases), the ledger, scores and the network's health."""
