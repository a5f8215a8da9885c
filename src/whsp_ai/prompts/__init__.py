"""Words the agent says: localized reply templates, money formatting, and the persona prompt."""
