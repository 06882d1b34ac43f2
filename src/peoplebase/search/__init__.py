"""Contact search: one box over names, emails, phones, company, job title and tags."""
