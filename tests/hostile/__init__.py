"""The developers' hostile corpus: inputs generated at test time (regexes, workbooks)."""
