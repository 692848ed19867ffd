"""Reading a user's workbook: safe opening, cell parsing, schema-driven reader."""
