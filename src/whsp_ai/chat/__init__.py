"""`whsp-ai chat`: talk to a business as a customer in the terminal, through the real pipeline."""
