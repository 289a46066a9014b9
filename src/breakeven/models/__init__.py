"""Pure formulas: adoption, usage, pricing, advertising, capacity, cash timing, the ledger and
its metrics, and the distributions of uncertain inputs. No engine imports: every function takes
arrays (one value per sample) and returns arrays; units are in the names, sources in docstrings.
"""
