"""Reconciliation: desired jobs (files) + state + live jobs -> a plan -> apply."""
