"""Blocks: one file per business or cost mechanism (see README, "Writing a block").

Every module here is discovered by :func:`breakeven.engine.discover`: the :class:`~breakeven.
engine.Block` classes it defines and the outputs it declares in ``OUTPUTS``. Modules whose name
starts with ``_`` hold what several blocks share. Adding a mechanism is adding a module.
"""
