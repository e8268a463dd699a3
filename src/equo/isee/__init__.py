"""The ISEE: DSU model, dated legal parameters, vectorized engine and explanation."""
