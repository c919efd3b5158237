"""The Team menu: assigning documents, blind annotation, and a curator's review of an analyst's layer."""
