"""The application: command line, one workbook end to end, batches, console reports."""
