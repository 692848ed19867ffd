"""Turn Chinese government budget workbooks into official documents."""
