"""`whsp-ai business import`: validate a business file (CONTRACT §3) and load it atomically."""
