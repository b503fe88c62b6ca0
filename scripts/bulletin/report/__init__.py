"""Printers: findings (text, json, github), the discipline record, the rules guide. Printers never judge."""
