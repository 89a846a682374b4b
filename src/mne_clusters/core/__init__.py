"""The small shared core: errors that name the file, row, column, value and fix;
atomic outputs; provenance records; code fingerprints; the configuration
(schema, defaults, waves); did-you-mean hints; the output manifest; and the
adapter that runs a package function for a Snakemake job.
"""
