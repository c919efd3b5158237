"""Windows for leading a team: the dashboard of who is behind, who drifts and how well analysts agree."""
