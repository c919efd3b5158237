"""The Team menu (assigning documents, blind annotation, a curator's review of an analyst's layer) and the
dashboard of who is behind, who drifts and how well analysts agree."""
