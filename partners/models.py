"""Partner workspace: organisations, shared folders and job-seeker follow-up."""
