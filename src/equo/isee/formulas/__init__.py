"""The ISEE formulas as Polars expressions, by level: member, patrimonio, nucleo."""
