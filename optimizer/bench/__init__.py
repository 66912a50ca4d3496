"""Benchmark sweeps: roster policies across scenario families, judged by one re-simulation.

``spec`` reads a sweep file, ``families`` generates the scenarios, ``judge`` runs the policies of
one scenario and measures them, ``runner`` spreads the scenarios over a local process pool or a
Dask cluster, ``output`` writes the CSV, the markdown table and the plots.
"""
